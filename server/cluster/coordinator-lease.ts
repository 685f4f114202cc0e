import pg from 'pg';

export interface CoordinatorLeaseOptions {
  /** postgres:// URL of the shared store (its `schema` parameter is part of the lease's name). */
  readonly url: string;
  /** What is being coordinated: one lease per run (or cluster) name. */
  readonly name: string;
  /**
   * Default 5000. The lease time: a standby tries to take the lease every
   * leaseMs / 5, so it takes over within about that after the holder's
   * process dies; a holder that cannot confirm its lock for leaseMs steps
   * down, and PostgreSQL's TCP keepalives (set to about leaseMs) drop a holder
   * that is cut off, so two nodes never both act as coordinator for longer.
   */
  readonly leaseMs: number;
  /** Told each time this node gains (true) or loses (false) the lease. */
  readonly onChange: (held: boolean) => void;
  /** Told of connection trouble; the lease keeps retrying. Default: ignored. */
  readonly onError?: (error: Error) => void;
}

/**
 * Who coordinates a run when several server nodes share it: a PostgreSQL
 * session-level advisory lock, held on a connection of its own. The lock
 * lives exactly as long as that session: when the holder's process dies
 * (SIGKILL included) the kernel closes its socket, PostgreSQL ends the
 * session and releases the lock, and the next standby's try takes it. The
 * coordinator's writes are also fenced by the store itself (a round is
 * completed at most once, `advanceRun ... WHERE current_round = ?`), so a
 * holder that has not yet noticed it lost the lease cannot fuse a round twice.
 */
export class CoordinatorLease {
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private heldNow = false;
  private lastConfirmed = 0;
  private stopped = false;
  private busy = false;

  /** Advisory locks are per database: the schema in the name keeps runs of different schemas apart. */
  private readonly lockName: string;

  constructor(private readonly options: CoordinatorLeaseOptions) {
    this.lockName = `fedfuse-coordinator:${new URL(options.url).searchParams.get('schema') ?? 'public'}:${options.name}`;
  }

  get held(): boolean {
    return this.heldNow;
  }

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  /** Releases the lease (if held) and closes its connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const client = this.client;
    this.client = null;
    this.setHeld(false);
    if (client !== null) await client.end().catch(() => {});
  }

  private get intervalMs(): number {
    return Math.max(50, Math.floor(this.options.leaseMs / 5));
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.busy) return;
    this.busy = true;
    try {
      const client = await this.connection();
      if (this.heldNow) {
        // Still our session? A confirmed round trip on the same connection means the lock is still ours.
        await client.query('SELECT 1');
        this.lastConfirmed = Date.now();
      } else {
        const r = await client.query<{ ok: boolean }>(
          `SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok`,
          [this.lockName],
        );
        if (r.rows[0]?.ok === true) {
          this.lastConfirmed = Date.now();
          this.setHeld(true);
        }
      }
    } catch (e) {
      this.options.onError?.(e instanceof Error ? e : new Error(String(e)));
      this.dropConnection();
    } finally {
      this.busy = false;
    }
    if (this.heldNow && Date.now() - this.lastConfirmed > this.options.leaseMs) this.dropConnection();
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.intervalMs);
  }

  private async connection(): Promise<pg.Client> {
    if (this.client !== null) return this.client;
    const url = new URL(this.options.url);
    url.searchParams.delete('schema');
    const keepaliveSeconds = Math.max(1, Math.round(this.options.leaseMs / 3000));
    const client = new pg.Client({
      connectionString: url.toString(),
      application_name: 'fedfuse-coordinator',
      connectionTimeoutMillis: this.options.leaseMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: this.options.leaseMs,
      // Server side: drop a session whose peer stopped answering after about the lease time.
      options: [
        `-c tcp_keepalives_idle=${keepaliveSeconds}`,
        `-c tcp_keepalives_interval=${keepaliveSeconds}`,
        '-c tcp_keepalives_count=2',
      ].join(' '),
    });
    client.on('error', (e) => {
      this.options.onError?.(e);
      if (this.client === client) this.dropConnection();
    });
    await client.connect();
    this.client = client;
    return client;
  }

  /** The session is gone or doubtful: so is the lock. */
  private dropConnection(): void {
    const client = this.client;
    this.client = null;
    this.setHeld(false);
    if (client !== null) void client.end().catch(() => {});
  }

  private setHeld(held: boolean): void {
    if (held === this.heldNow) return;
    this.heldNow = held;
    try {
      this.options.onChange(held);
    } catch {
      // A listener's bug must not break the lease loop.
    }
  }
}
