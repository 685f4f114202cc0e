import type Database from 'better-sqlite3';
import { FedfuseError } from '../../../common/errors/index.ts';
import { toStoreError } from '../sqlite-errors.ts';
import type { Migration } from './migration.ts';

export function readSchemaVersion(db: Database.Database): number {
  const version = db.pragma('user_version', { simple: true });
  if (typeof version !== 'number') {
    throw new FedfuseError('internal', `PRAGMA user_version returned ${String(version)}`);
  }
  return version;
}

/**
 * Throws when the database was written by a newer fedfuse: running old code
 * on a newer schema could silently lose data. Returns the version found.
 */
export function refuseNewerSchema(db: Database.Database, latest: number): number {
  const found = readSchemaVersion(db);
  if (found > latest) {
    throw new FedfuseError(
      'invalid_argument',
      `database ${db.name} has schema version ${found}, newer than the ${latest} this fedfuse understands; ` +
        'upgrade fedfuse or point it at another database file',
    );
  }
  return found;
}

function checkHistory(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new FedfuseError('internal', `migration "${m.name}" has version ${m.version}, expected ${i + 1}: versions must be 1, 2, 3... in order`);
    }
  });
}

/**
 * Brings the database up to the last of `migrations`, one transaction per
 * migration, so a crash or a failing step leaves the schema at the previous
 * version, never in between. Refuses a database written by a newer fedfuse.
 *
 * Each transaction is IMMEDIATE and re-reads the version inside it, so two
 * processes opening the same file at once cannot both apply a step.
 * Returns the versions that were applied.
 */
export function applyMigrations(db: Database.Database, migrations: readonly Migration[]): number[] {
  checkHistory(migrations);
  const found = refuseNewerSchema(db, migrations.length);
  const applied: number[] = [];
  for (const migration of migrations.slice(found)) {
    const step = db.transaction(() => {
      if (readSchemaVersion(db) >= migration.version) return false;
      if (typeof migration.up === 'string') db.exec(migration.up);
      else migration.up(db);
      // PRAGMA takes no bound parameters; the version is an integer checked by checkHistory.
      db.pragma(`user_version = ${migration.version}`);
      return true;
    });
    try {
      if (step.immediate()) applied.push(migration.version);
    } catch (e) {
      // Disk trouble stays 'unavailable'; a broken migration is 'internal'. Either way it was rolled back.
      throw toStoreError(e, `migration ${migration.version} (${migration.name}), rolled back,`);
    }
  }
  return applied;
}
