import type { ObserverStatus } from '../../common/events/observer-events.ts';
import { ApiFailure, DashboardApi, type RoundDetailView, type RoundList, type RunView } from './api.ts';
import { percent } from './format.ts';
import { LiveFeed, type LinkState } from './live-feed.ts';
import { renderClients, renderCountdown, renderLiveStats, renderStoredRunStats } from './render-live.ts';
import { renderRoundCharts, renderRoundsTable } from './render-rounds.ts';

/**
 * The dashboard page: the runs of the store, the live run's status over the
 * observer namespace (or by polling), and each run's rounds from the HTTP
 * API, re-read whenever a round closes. It only reads: nothing here can
 * change a run.
 */
const TOKEN_KEY = 'fedfuse.dashboard.token';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/**
 * A token handed over in the address's fragment (`/#token=...`, for links and
 * tests): a fragment is never sent to the server nor in a Referer. Kept for
 * the tab's session like a pasted one, and taken out of the address bar.
 */
function tokenFromFragment(): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match === null) return null;
  history.replaceState(null, '', `${location.pathname}${location.search}`);
  return decodeURIComponent(match[1]!);
}
const handedToken = tokenFromFragment();
if (handedToken !== null) sessionStorage.setItem(TOKEN_KEY, handedToken);

const state = {
  token: sessionStorage.getItem(TOKEN_KEY),
  runs: [] as RunView[],
  /** Chosen in the picker; null follows the live run. */
  chosenRunId: new URLSearchParams(location.search).get('run'),
  status: null as ObserverStatus | null,
  skewMs: 0,
  lastRoundKey: '',
  rounds: null as RoundList | null,
  details: new Map<string, Map<number, RoundDetailView>>(),
  /** When each round was first shown done (page clock): the dashboard's latency, read by the browser test. */
  firstShownDone: new Map<string, number>(),
  refreshing: false,
  refreshAgain: false,
};

const api = new DashboardApi(state.token);
const feed = new LiveFeed(api, {
  status(s) {
    const previous = state.status;
    state.status = s;
    state.skewMs = s.serverTimeUnixMs - Date.now();
    const key = `${s.runId}/${s.round}/${s.phase}`;
    renderStatus();
    if (key === state.lastRoundKey) return;
    state.lastRoundKey = key;
    // A run that started or ended changes the run list; the socket says so with a 'run' notice, polling does not.
    if (previous !== null && (previous.runId !== s.runId || isOver(previous.phase) !== isOver(s.phase))) void loadRuns();
    else void refreshRounds();
  },
  roundClosed() {
    void refreshRounds();
  },
  run() {
    void loadRuns();
  },
  link(link: LinkState) {
    const node = $('live-link');
    node.textContent = link === 'live' ? 'live' : link === 'polling' ? 'polling the API' : 'connecting…';
    node.dataset['link'] = link;
  },
  refused(code, message) {
    askForToken(code === 'not_found' ? message : `${message}`);
  },
});

function isOver(phase: string): boolean {
  return phase === 'finished' || phase === 'failed';
}

function shownRunId(): string | null {
  return state.chosenRunId ?? state.status?.runId ?? state.runs[0]?.id ?? null;
}

function isLiveRunShown(): boolean {
  return state.status !== null && state.status.runId !== null && shownRunId() === state.status.runId;
}

function renderStatus(): void {
  const status = state.status;
  // A status without a run comes from a server that only shows a database (fedfuse dashboard).
  $('read-only-note').hidden = status === null || status.runId !== null;
  // --read-api public without a token: counts only; the page says why the client list is empty.
  $('public-view-note').hidden = status === null || status.view !== 'public';
  const tbody = $<HTMLTableElement>('clients-table').tBodies[0]!;
  if (status !== null && isLiveRunShown()) {
    renderLiveStats(status);
    renderClients(tbody, status);
  } else {
    const run = state.runs.find((r) => r.id === shownRunId());
    if (run !== undefined) renderStoredRunStats(run.currentRound, run.state, plannedRounds(run));
    tbody.replaceChildren();
  }
}

function plannedRounds(run: RunView): number | null {
  const config = run.config;
  const rounds = config !== null && typeof config === 'object' && !Array.isArray(config) ? (config as Record<string, unknown>)['rounds'] : undefined;
  return typeof rounds === 'number' ? rounds : null;
}

async function loadRuns(): Promise<void> {
  try {
    state.runs = (await api.runs()).runs;
  } catch (e) {
    showError(e);
    return;
  }
  const select = $<HTMLSelectElement>('run-select');
  const liveId = state.status?.runId ?? null;
  select.replaceChildren(
    ...state.runs.map((r) => {
      const option = document.createElement('option');
      option.value = r.id;
      option.textContent = `${r.id.slice(0, 8)} · ${r.state}${r.id === liveId ? ' (live)' : ''} · ${new Date(r.createdAt).toLocaleString()}`;
      return option;
    }),
  );
  const shown = shownRunId();
  if (shown !== null) select.value = shown;
  renderStatus();
  await refreshRounds();
}

/** Re-reads the shown run's rounds, and the details of rounds that may have changed; one refresh at a time. */
async function refreshRounds(): Promise<void> {
  if (state.refreshing) {
    state.refreshAgain = true;
    return;
  }
  state.refreshing = true;
  try {
    do {
      state.refreshAgain = false;
      const runId = shownRunId();
      if (runId === null) return;
      const list = await api.rounds(runId);
      const details = state.details.get(runId) ?? new Map<number, RoundDetailView>();
      state.details.set(runId, details);
      // Done and failed rounds never change again; the open one does.
      const stale = list.rounds.filter((r) => {
        const known = details.get(r.round);
        return known === undefined || known.state !== r.state || known.attempt !== r.attempt || r.state === 'open';
      });
      for (const r of stale) details.set(r.round, await api.round(runId, r.round));
      if (shownRunId() !== runId) continue;
      state.rounds = list;
      renderRounds(list, details);
      const run = state.runs.find((r) => r.id === runId);
      $('run-state').textContent = run?.state ?? '';
      $('config').textContent = run === undefined ? '' : JSON.stringify(run.config, null, 2);
    } while (state.refreshAgain);
    hideError();
  } catch (e) {
    showError(e);
  } finally {
    state.refreshing = false;
  }
}

function renderRounds(list: RoundList, details: Map<number, RoundDetailView>): void {
  const tbody = $<HTMLTableElement>('rounds-table').tBodies[0]!;
  renderRoundsTable(tbody, list, details);
  renderRoundCharts($('accuracy-chart'), $('loss-chart'), list, details);
  const now = Date.now();
  for (const r of list.rounds) {
    if (r.state !== 'done') continue;
    const key = `${list.runId}/${r.round}`;
    if (!state.firstShownDone.has(key)) state.firstShownDone.set(key, now);
    tbody.querySelector(`tr[data-round="${r.round}"]`)?.setAttribute('data-first-shown-at', String(state.firstShownDone.get(key)));
  }
  const latest = list.rounds.filter((r) => r.state === 'done').at(-1);
  const latestNode = $('latest-accuracy');
  latestNode.textContent = latest === undefined ? '–' : `${percent(latest.evaluations[0]?.accuracy)} (round ${latest.round})`;
  latestNode.dataset['value'] = String(latest?.evaluations[0]?.accuracy ?? '');
}

function askForToken(reason: string): void {
  $('token-reason').textContent = reason;
  $('token-form').hidden = false;
  $('live-link').textContent = 'needs a token';
}

function showError(e: unknown): void {
  if (e instanceof ApiFailure && e.code === 'unauthenticated') {
    askForToken(e.message);
    return;
  }
  const node = $('error');
  node.textContent = e instanceof Error ? e.message : String(e);
  node.hidden = false;
}

function hideError(): void {
  $('error').hidden = true;
}

$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = $<HTMLInputElement>('token-input').value.trim();
  if (token === '') return;
  state.token = token;
  sessionStorage.setItem(TOKEN_KEY, token);
  api.setToken(token);
  $('token-form').hidden = true;
  feed.start(token);
  void loadRuns();
});

$<HTMLSelectElement>('run-select').addEventListener('change', (event) => {
  const id = (event.target as HTMLSelectElement).value;
  state.chosenRunId = id === state.status?.runId ? null : id;
  const url = new URL(location.href);
  if (state.chosenRunId === null) url.searchParams.delete('run');
  else url.searchParams.set('run', state.chosenRunId);
  history.replaceState(null, '', url);
  state.rounds = null;
  renderStatus();
  void refreshRounds();
});

setInterval(() => renderCountdown(isLiveRunShown() ? state.status : null, state.skewMs), 250);
feed.start(state.token);
void loadRuns();
