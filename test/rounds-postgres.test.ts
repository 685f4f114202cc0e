import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../server/store/index.ts';
import { decodeModelBlob } from '../server/rounds/index.ts';
import { READ_HEADERS, startClient, startTestServer } from './rounds-fixtures.ts';
import { dropSchemas, postgresSchemaUrl, requirePostgres, uniqueSchemaName } from './service-fixtures.ts';

/**
 * The round server on PostgreSQL: the composition root on port 0 with
 * openStore('postgres://...?schema=<this test's own>'), three real
 * FedfuseClients over socket.io uploading real protobuf updates, two
 * rounds. Everything the run stores is read back through the same contract,
 * and the HTTP API answers from PostgreSQL.
 */
const schemas: string[] = [];
after(() => dropSchemas(schemas));

test('a two-round run on PostgreSQL: every acknowledged update stored, both rounds committed once, the API reads them back', { timeout: 180_000 }, async () => {
  await requirePostgres();
  const schema = uniqueSchemaName('rounds_pg');
  schemas.push(schema);
  const location = postgresSchemaUrl(schema);
  const t = await startTestServer({ rounds: 2, minClients: 3 }, {}, undefined, { openStore: () => openStore(location) });
  const clients: Array<Awaited<ReturnType<typeof startClient>>> = [];
  try {
    assert.equal(t.store.backend, 'postgres');
    for (const i of [0, 1, 2]) clients.push(await startClient(t.url, i));
    await t.waitFor((e) => e.type === 'runFinished', 150_000);

    const run = (await t.store.latestRun())!;
    assert.deepEqual([run.state, run.currentRound], ['finished', 2]);
    const rounds = await t.store.listRounds(run.id);
    assert.deepEqual(rounds.map((r) => [r.round, r.state, r.attempt]), [[1, 'done', 1], [2, 'done', 1]]);
    assert.equal(t.events.filter((e) => e.type === 'roundCompleted').length, 2, 'each round committed once');
    for (const [i, { events }] of clients.entries()) {
      const acknowledged = events.filter((e) => e.type === 'uploaded').map((e) => (e as { round: number }).round);
      assert.deepEqual(acknowledged, [1, 2], `client-${i} had both updates acknowledged`);
      for (const round of acknowledged) assert.ok(await t.store.hasUpdate(run.id, round, `client-${i}`), `client-${i}'s round-${round} update is in PostgreSQL`);
    }
    // What the clients received is what PostgreSQL holds.
    const stored = decodeModelBlob((await t.store.getGlobalModel(run.id, 2))!.model);
    assert.deepStrictEqual(clients[0]!.client.latestGlobalModel()?.network, stored);

    const list = (await (await fetch(`${t.url}/api/rounds`, { headers: READ_HEADERS })).json()) as { rounds: Array<{ round: number; state: string; participants: number }> };
    assert.deepEqual(list.rounds.map((r) => [r.round, r.state, r.participants]), [[1, 'done', 3], [2, 'done', 3]]);
    const modelJson = await fetch(`${t.url}/api/rounds/latest/model/model.json`, { headers: READ_HEADERS });
    assert.equal(modelJson.status, 200);
    assert.equal(modelJson.headers.get('x-fedfuse-round'), '2');
  } finally {
    for (const c of clients) c.client.close();
    await t.close();
  }
});
