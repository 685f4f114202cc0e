import { test } from 'node:test';
import assert from 'node:assert/strict';
import { READ_HEADERS, startClient, startTestServer } from './rounds-fixtures.ts';

// Regression: with one update per round, screening's leave-one-out agreement is NaN ("nobody to agree with");
// the round failed because the store refuses NaN in the metrics JSON. It must complete, recording null.
test('a round with a single client completes, its not-applicable metrics stored as null', { timeout: 60_000 }, async () => {
  const t = await startTestServer({ rounds: 1, minClients: 1 });
  const { client } = await startClient(t.url, 0);
  try {
    const done = await t.waitFor((e) => e.type === 'roundCompleted' || e.type === 'roundFailed', 50_000);
    assert.equal(done.type, 'roundCompleted', JSON.stringify(done));
    const run = (await t.store.latestRun())!;
    const round = (await t.store.getRound(run.id, 1))!;
    assert.equal(round.state, 'done');
    assert.ok(!JSON.stringify(round.metrics).includes('NaN'));
    // Regression: /api/status of a finished 1-round run said round 2.
    await t.waitFor((e) => e.type === 'runFinished', 20_000);
    const status = (await (await fetch(`${t.url}/api/status`, { headers: READ_HEADERS })).json()) as { round: number; state: string; roundsPlanned: number };
    assert.deepEqual([status.state, status.round, status.roundsPlanned], ['finished', 1, 1]);
  } finally {
    client.close();
    await t.close();
  }
});
