/**
 * Counts open TCP connections per remote address and in total, and says
 * whether one more may be served. A connection over a cap is not counted; the
 * guard (http-server-guard.ts) answers its request with 503 and closes it.
 */
export class ConnectionCaps {
  private readonly perAddress = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly maxPerAddress: number,
    private readonly maxTotal: number,
  ) {}

  /** Counts the connection and returns null, or returns why it is over a cap (and does not count it). */
  open(address: string): string | null {
    const n = this.perAddress.get(address) ?? 0;
    if (n >= this.maxPerAddress) return `${address} already has ${n} open connections (--max-connections-per-address ${this.maxPerAddress})`;
    if (this.total >= this.maxTotal) return `the server already has ${this.total} open connections (--max-connections ${this.maxTotal})`;
    this.perAddress.set(address, n + 1);
    this.total++;
    return null;
  }

  close(address: string): void {
    const n = this.perAddress.get(address) ?? 0;
    if (n <= 1) this.perAddress.delete(address);
    else this.perAddress.set(address, n - 1);
    if (n > 0) this.total--;
  }

  openConnections(address?: string): number {
    return address === undefined ? this.total : (this.perAddress.get(address) ?? 0);
  }
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are one peer. */
export function normaliseAddress(address: string | undefined): string {
  if (address === undefined) return 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
