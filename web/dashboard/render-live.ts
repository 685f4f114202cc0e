import type { ObserverStatus } from '../../common/events/observer-events.ts';
import { bytes, clockTime, countdown } from './format.ts';

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the page has no #${id}`);
  return node as T;
}

function setText(id: string, text: string, value?: number | string): void {
  const node = byId(id);
  node.textContent = text;
  if (value !== undefined) node.dataset['value'] = String(value);
}

/** The "Now" panel for the live run. */
export function renderLiveStats(status: ObserverStatus): void {
  // Between rounds the status names the next round; once the run is over there is none: show the last.
  const over = status.phase === 'finished' || status.phase === 'failed';
  const round = over ? Math.min(status.round, status.roundsPlanned) : status.round;
  setText('round', String(round), round);
  setText('rounds-planned', String(status.roundsPlanned), status.roundsPlanned);
  setText('phase', status.phase.replaceAll('_', ' '), status.phase);
  setText('connected-count', String(status.connectedClients), status.connectedClients);
  setText('sampled-count', String(status.sampledClients), status.sampledClients);
  setText('updates-count', `${status.updatesReceived} of ${status.sampledClients}`, status.updatesReceived);
}

/** The "Now" panel for a run that is not live (finished, or another run of the database). */
export function renderStoredRunStats(currentRound: number, state: string, roundsPlanned: number | null): void {
  setText('round', String(currentRound), currentRound);
  setText('rounds-planned', roundsPlanned === null ? '–' : String(roundsPlanned));
  setText('phase', state, state);
  for (const id of ['connected-count', 'sampled-count', 'updates-count']) setText(id, '–');
  setText('countdown', '–');
}

/** Remaining time of the open round; `skewMs` is the server clock minus the page's. */
export function renderCountdown(status: ObserverStatus | null, skewMs: number): void {
  const remaining = status?.deadlineUnixMs == null || status.phase !== 'training' ? null : status.deadlineUnixMs - (Date.now() + skewMs);
  setText('countdown', countdown(remaining), remaining === null ? '' : Math.max(0, Math.round(remaining)));
}

export function renderClients(tbody: HTMLTableSectionElement, status: ObserverStatus): void {
  const rows = status.clients.map((c) => {
    const tr = document.createElement('tr');
    tr.dataset['client'] = c.clientId;
    tr.dataset['state'] = c.state;
    const add = (text: string, label: string): HTMLTableCellElement => {
      const td = tr.insertCell();
      td.textContent = text;
      td.setAttribute('aria-label', `${c.clientId} ${label}`);
      return td;
    };
    const id = add(c.clientId, 'id');
    id.className = 'mono';
    const state = add(c.state === 'refused' && c.refusedCode !== null ? `refused (${c.refusedCode})` : c.state, 'state');
    state.className = `state state-${c.state}`;
    if (c.refusedMessage !== null) state.title = c.refusedMessage;
    add(c.sampled ? 'yes' : 'no', 'sampled');
    add(c.lastUpdateRound === null ? '–' : `round ${c.lastUpdateRound}, ${bytes(c.lastUpdateBytes)}`, 'last update');
    add(clockTime(c.lastUpdateAt), 'last update time');
    return tr;
  });
  tbody.replaceChildren(...rows);
  const refusals = Object.entries(status.handshakeRefusals);
  byId('handshake-refusals').textContent =
    refusals.length === 0 ? '' : `Refused at the handshake: ${refusals.map(([code, n]) => `${n} × ${code}`).join(', ')}`;
}
