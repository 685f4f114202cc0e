import type { ClientActivity, ClientActivityState } from '../../common/events/observer-events.ts';
import type { OrchestratorEvent } from '../rounds/index.ts';

interface MutableActivity {
  clientId: string;
  state: ClientActivityState;
  sampled: boolean;
  refusedCode: string | null;
  refusedMessage: string | null;
  lastUpdateRound: number | null;
  lastUpdateBytes: number | null;
  lastUpdateAt: number | null;
  lastSeenAt: number;
}

/** Beyond this many clients the ones gone longest are forgotten, so memory stays bounded. */
const MAX_TRACKED_CLIENTS = 10_000;

/**
 * Each client's state for the dashboard, derived from the orchestrator's
 * events (nothing else writes it): connected, training (sampled, task sent,
 * no update yet), uploaded (its update of the round is stored), refused
 * (its last hello or upload was refused, with the code) or gone
 * (disconnected). A state holds until the next round opens, so a closed
 * round still shows who uploaded.
 */
export class ClientActivityTracker {
  private readonly clients = new Map<string, MutableActivity>();
  private readonly handshakeRefusals = new Map<string, number>();
  private openRound: number | null = null;
  private sampledInRound = new Set<string>();

  constructor(private readonly now: () => number = Date.now) {}

  observe(event: OrchestratorEvent): void {
    switch (event.type) {
      case 'clientJoined': {
        const c = this.touch(event.clientId);
        const sampledAndPending = this.openRound !== null && this.sampledInRound.has(c.clientId) && c.lastUpdateRound !== this.openRound;
        // A sampled client that (re)joins while its round is open gets its task again.
        c.state = sampledAndPending ? 'training' : c.lastUpdateRound !== null && c.lastUpdateRound === this.openRound ? 'uploaded' : 'connected';
        c.refusedCode = null;
        c.refusedMessage = null;
        break;
      }
      case 'clientLeft':
        this.touch(event.clientId).state = 'gone';
        break;
      case 'roundOpened':
        this.openRound = event.round;
        this.sampledInRound = new Set(event.sampled);
        for (const c of this.clients.values()) {
          c.sampled = this.sampledInRound.has(c.clientId);
          if (c.state !== 'gone') c.state = c.sampled ? 'training' : 'connected';
        }
        for (const id of event.sampled) {
          const c = this.touch(id);
          c.sampled = true;
        }
        break;
      case 'updateAccepted': {
        const c = this.touch(event.clientId);
        c.state = 'uploaded';
        c.lastUpdateRound = event.round;
        c.lastUpdateBytes = event.bytes;
        c.lastUpdateAt = this.now();
        c.refusedCode = null;
        c.refusedMessage = null;
        break;
      }
      case 'updateRejected': {
        const c = this.touch(event.clientId);
        // A re-send of an update whose ack was lost: the server has it, the client counts it as uploaded.
        if (event.code === 'duplicate') break;
        c.state = 'refused';
        c.refusedCode = event.code;
        c.refusedMessage = event.message;
        break;
      }
      case 'roundCompleted':
      case 'roundFailed':
        this.openRound = null;
        break;
      default:
        break;
    }
  }

  /**
   * A refusal by the transport: a refused handshake (the client id is known
   * only when the token named one; otherwise it is counted by code), or a
   * refused message or connection of a known client (the envelope decoder's
   * bad_message, too_large, non_finite, shape_mismatch; the orchestrator's
   * codes arrive here too, after their updateRejected event).
   */
  refused(stage: 'handshake' | 'message' | 'connection', clientId: string | null, code: string, message: string): void {
    if (clientId === null) {
      if (stage === 'handshake') this.handshakeRefusals.set(code, (this.handshakeRefusals.get(code) ?? 0) + 1);
      return;
    }
    // A re-send of an update whose ack was lost: the server has it, the client counts it as uploaded.
    if (code === 'duplicate') return;
    const c = this.touch(clientId);
    c.state = 'refused';
    c.refusedCode = code;
    c.refusedMessage = message;
  }

  list(): ClientActivity[] {
    return [...this.clients.values()].sort((a, b) => (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0)).map((c) => ({ ...c }));
  }

  refusalsByCode(): Record<string, number> {
    return Object.fromEntries([...this.handshakeRefusals].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  private touch(clientId: string): MutableActivity {
    let c = this.clients.get(clientId);
    if (c === undefined) {
      if (this.clients.size >= MAX_TRACKED_CLIENTS) this.forgetOldestGone();
      c = {
        clientId,
        state: 'connected',
        sampled: this.sampledInRound.has(clientId),
        refusedCode: null,
        refusedMessage: null,
        lastUpdateRound: null,
        lastUpdateBytes: null,
        lastUpdateAt: null,
        lastSeenAt: this.now(),
      };
      this.clients.set(clientId, c);
    }
    c.lastSeenAt = this.now();
    return c;
  }

  private forgetOldestGone(): void {
    let oldest: MutableActivity | null = null;
    for (const c of this.clients.values()) if (c.state === 'gone' && (oldest === null || c.lastSeenAt < oldest.lastSeenAt)) oldest = c;
    const victim = oldest ?? this.clients.values().next().value;
    if (victim !== undefined) this.clients.delete(victim.clientId);
  }
}
