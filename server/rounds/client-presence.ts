import type { AvailableClient } from './strategy.ts';

/** How the orchestrator reaches one connected client: already-encoded envelopes. */
export interface ClientChannel {
  send(envelope: Uint8Array): void;
}

/**
 * Who is connected (one channel per client id; a newer connection replaces
 * an older one) and, for clients that are not, since when: a sampled client
 * that dropped may still come back within the reconnect grace.
 */
export class ClientPresence {
  private readonly connected = new Map<string, { readonly channel: ClientChannel; readonly numExamples: number; readonly widthCapacity: number | null }>();
  private readonly goneSince = new Map<string, number>();

  get size(): number {
    return this.connected.size;
  }

  join(clientId: string, channel: ClientChannel, numExamples: number, widthCapacity: number | null = null): void {
    this.connected.set(clientId, { channel, numExamples, widthCapacity });
    this.goneSince.delete(clientId);
  }

  /** False (and nothing changes) when `channel` was already replaced by a newer connection. */
  leave(clientId: string, channel: ClientChannel, now: number): boolean {
    if (this.connected.get(clientId)?.channel !== channel) return false;
    this.connected.delete(clientId);
    this.goneSince.set(clientId, now);
    return true;
  }

  /** After a restart nobody is connected yet: each of these gets the grace period from `now`. */
  markGone(clientIds: readonly string[], now: number): void {
    for (const id of clientIds) this.goneSince.set(id, now);
  }

  isConnected(clientId: string): boolean {
    return this.connected.has(clientId);
  }

  /** The client's current channel, or undefined. */
  channelOf(clientId: string): ClientChannel | undefined {
    return this.connected.get(clientId)?.channel;
  }

  /** The width capacity the client declared in its (latest) hello; null when none or not connected. */
  widthCapacityOf(clientId: string): number | null {
    return this.connected.get(clientId)?.widthCapacity ?? null;
  }

  ids(): string[] {
    return [...this.connected.keys()].sort();
  }

  available(): AvailableClient[] {
    return [...this.connected].map(([clientId, c]) => ({ clientId, numExamples: c.numExamples }));
  }

  /** Sends one envelope to every connected client; returns the bytes sent in all. */
  broadcast(envelope: Uint8Array): number {
    for (const { channel } of this.connected.values()) channel.send(envelope);
    return envelope.byteLength * this.connected.size;
  }

  /**
   * Of the sampled clients that have not answered, how many may still
   * answer (connected, or gone for less than `graceMs`), and when the
   * earliest grace period among the gone ones ends.
   */
  stillExpected(sampled: Iterable<string>, answered: (clientId: string) => boolean, now: number, graceMs: number): { pending: number; nextExpiry: number } {
    let pending = 0;
    let nextExpiry = Number.POSITIVE_INFINITY;
    for (const id of sampled) {
      if (answered(id)) continue;
      if (this.connected.has(id)) {
        pending++;
        continue;
      }
      const expiry = (this.goneSince.get(id) ?? now) + graceMs;
      if (expiry > now) {
        pending++;
        nextExpiry = Math.min(nextExpiry, expiry);
      }
    }
    return { pending, nextExpiry };
  }
}
