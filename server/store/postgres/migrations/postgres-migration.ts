import type { PoolClient } from 'pg';

/**
 * One step of the PostgreSQL schema's history: version N here is the twin of
 * SQLite's migration N (same name, same effect), so a database of either
 * kind at version N holds the same data model. Never edited once released.
 */
export interface PostgresMigration {
  readonly version: number;
  readonly name: string;
  /** SQL (several statements allowed), or code when rows must be rewritten. */
  readonly up: string | ((client: PoolClient) => Promise<void>);
}
