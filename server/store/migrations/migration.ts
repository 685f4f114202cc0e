import type Database from 'better-sqlite3';

/**
 * One step of the schema's history. Versions are 1, 2, 3... with no gaps; the
 * database records the last one applied in `PRAGMA user_version`. A released
 * migration is never edited: a change to the schema is a new file.
 */
export interface Migration {
  readonly version: number;
  /** Short description, used in error messages. */
  readonly name: string;
  /** Plain SQL for schema changes; a function when rows must be rewritten in code. */
  readonly up: string | ((db: Database.Database) => void);
}
