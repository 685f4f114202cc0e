import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelHistogram } from '../common/data/index.ts';
import { smallMnistSplit, startClient, startTestServer } from './rounds-fixtures.ts';

// Clients may disclose their label histograms at hello. The federated fusion
// settings then take them as the class evidence of the output layer's class
// consensus, but only when every fused client shared one; the round's metrics
// say which evidence was used.

async function evidenceOfOneRound(shares: readonly boolean[]): Promise<unknown> {
  const t = await startTestServer({ rounds: 1, minClients: 3 });
  const split = smallMnistSplit();
  const clients = await Promise.all(
    shares.map((share, i) => startClient(t.url, i, share ? { labelHistogram: labelHistogram(split.clients[i]!) } : {})),
  );
  try {
    await t.waitFor((e) => e.type === 'runFinished', 90_000);
    const run = (await t.store.latestRun())!;
    const round = (await t.store.listRounds(run.id))[0]!;
    assert.equal(round.state, 'done');
    // The server recorded what each client disclosed, and nothing for those that did not.
    for (const [i, share] of shares.entries()) {
      assert.deepEqual((await t.store.getClient(`client-${i}`))?.labelHistogram ?? null, share ? labelHistogram(split.clients[i]!) : null);
    }
    const aggregation = (round.metrics as { aggregation: { classEvidence?: unknown; levels: { grouping: string }[] } }).aggregation;
    assert.equal(aggregation.levels.at(-1)?.grouping, 'class-consensus');
    return aggregation.classEvidence;
  } finally {
    await Promise.all(clients.map(({ client }) => client.close()));
    await t.close();
  }
}

test('every client shares its label histogram: the fusion uses the histograms', { timeout: 120_000 }, async () => {
  assert.equal(await evidenceOfOneRound([true, true, true]), 'label-histograms');
});

test('one client keeps its histogram: the fusion falls back to the clients\' attribution', { timeout: 120_000 }, async () => {
  assert.equal(await evidenceOfOneRound([true, false, true]), 'client-attribution');
});
