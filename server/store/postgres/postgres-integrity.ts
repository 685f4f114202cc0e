import type { Pool, PoolClient } from 'pg';

/**
 * PostgreSQL checks its own pages (checksums, WAL); what can still go wrong
 * is ours: rows that disagree with each other. Each query names a broken
 * invariant of the store contract; SQLite's integrity_check has no such
 * counterpart because its CHECKs and transactions already rule these out on
 * one writer.
 */
const INVARIANTS: readonly { readonly problem: string; readonly sql: string }[] = [
  {
    problem: 'done round without its global model',
    sql: `SELECT r.run_id || ' round ' || r.round AS what FROM rounds r
          LEFT JOIN global_models g ON g.run_id = r.run_id AND g.round = r.round
          WHERE r.state = 'done' AND g.run_id IS NULL`,
  },
  {
    problem: "run whose current_round is not its last done round",
    sql: `SELECT u.id || ' at ' || u.current_round AS what FROM runs u
          WHERE u.current_round <> coalesce((SELECT max(round) FROM rounds r WHERE r.run_id = u.id AND r.state = 'done'), 0)`,
  },
  {
    problem: 'round opened beyond the next one',
    sql: `SELECT r.run_id || ' round ' || r.round AS what FROM rounds r JOIN runs u ON u.id = r.run_id
          WHERE r.state <> 'done' AND r.round <> u.current_round + 1`,
  },
];

export async function integrityProblems(q: Pool | PoolClient): Promise<string[]> {
  const problems: string[] = [];
  for (const { problem, sql } of INVARIANTS) {
    const rows = (await q.query<{ what: string }>(sql)).rows;
    for (const row of rows) problems.push(`${problem}: ${row.what}`);
  }
  return problems;
}
