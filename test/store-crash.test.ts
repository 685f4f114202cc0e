import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openStore } from '../server/store/index.ts';
import { assertSameBytes, makeTempDir, patternBytes } from './store-fixtures.ts';
import { dropSchemas, postgresSchemaUrl, requirePostgres, uniqueSchemaName } from './service-fixtures.ts';

/**
 * SIGKILL in the middle of writes, through the async contract, on each
 * backend: SQLite with group commit (many updates in flight, committed in
 * shared transactions) and PostgreSQL (each update its own transaction on a
 * pool). A child process stores runs whose round gets 12 concurrent
 * updates and is then completed, printing each acknowledgement; it is
 * killed at a moment that varies. Afterwards every acknowledged update and
 * round is there byte for byte, and every round is all or nothing.
 */
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STORE_URL = pathToFileURL(path.join(REPO_ROOT, 'server/store/index.ts')).href;
const FIXTURES_URL = pathToFileURL(path.join(REPO_ROOT, 'test/store-fixtures.ts')).href;
const UPDATES_PER_ROUND = 12;
const UPDATE_BYTES = 150_000;

const CHILD = `
  const { openStore } = await import(${JSON.stringify(STORE_URL)});
  const { patternBytes } = await import(${JSON.stringify(FIXTURES_URL)});
  const store = await openStore(process.env.FEDFUSE_TEST_DB);
  const clients = Array.from({ length: ${UPDATES_PER_ROUND} }, (_, k) => 'c' + k);
  for (const id of clients) await store.upsertClient({ id, numExamples: 10 });
  process.stdout.write('READY\\n');
  for (let i = 0; ; i++) {
    const runId = 'run-' + i;
    await store.createRun({ id: runId, config: { i }, modelSpec: {}, initialModel: patternBytes(1000, i + 1) });
    await store.openRound({ runId, round: 1, sampledClientIds: clients, deadline: 0, attempt: 1 });
    await Promise.all(clients.map((clientId, k) =>
      store.recordUpdate({ runId, round: 1, clientId, numExamples: 10, model: patternBytes(${UPDATE_BYTES}, i * 100 + k + 7) })
        .then(() => process.stdout.write('ACK ' + i + ' ' + k + '\\n'))));
    await store.setRoundState(runId, 1, 'aggregating');
    await store.completeRound(runId, 1, { globalModel: patternBytes(200000, i + 3), aggregator: 'mean', fusionSeconds: 0.01, metrics: { i } });
    process.stdout.write('DONE ' + i + '\\n');
  }
`;

interface Acks {
  readonly updates: Set<string>;
  readonly rounds: Set<number>;
}

/** Runs the child against `location`; kills it the moment `when` first holds for what it acknowledged. */
function runAndKill(location: string, when: (acks: Acks) => boolean): Promise<Acks> {
  const acks: Acks = { updates: new Set(), rounds: new Set() };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
      cwd: REPO_ROOT,
      env: { ...process.env, FEDFUSE_TEST_DB: location },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let pending = '';
    let armed = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        const ack = /^ACK (\d+) (\d+)$/.exec(line);
        if (ack) acks.updates.add(`${ack[1]}/${ack[2]}`);
        const done = /^DONE (\d+)$/.exec(line);
        if (done) acks.rounds.add(Number(done[1]));
        if (!armed && when(acks)) {
          armed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended with ${signal ?? code}, not SIGKILL: ${stderr}`));
      else resolve(acks);
    });
  });
}

async function checkAfterCrash(location: string, acks: Acks): Promise<string> {
  const store = await openStore(location);
  try {
    assert.equal(await store.integrityCheck(), 'ok');
    let done = 0;
    let stored = 0;
    for (const run of await store.listRuns()) {
      const i = Number(run.id.slice('run-'.length));
      const round = await store.getRound(run.id, 1);
      const updates = new Map((await store.listUpdatesWithBlobs(run.id, 1)).map((u) => [u.clientId, u]));
      stored += updates.size;
      for (let k = 0; k < UPDATES_PER_ROUND; k++) {
        const u = updates.get(`c${k}`);
        if (acks.updates.has(`${i}/${k}`)) assert.ok(u, `${run.id}: acknowledged update of c${k} lost`);
        if (u) assertSameBytes(u.model, patternBytes(UPDATE_BYTES, i * 100 + k + 7), `${run.id} c${k}`);
      }
      const model = await store.getGlobalModel(run.id, 1);
      if (round?.state === 'done') {
        done++;
        assert.equal(run.currentRound, 1, `${run.id}: done round but run not advanced`);
        assertSameBytes(model?.model, patternBytes(200000, i + 3), `${run.id} global model 1`);
        assert.equal(updates.size, UPDATES_PER_ROUND, `${run.id}: done with ${updates.size} updates`);
      } else {
        assert.equal(run.currentRound, 0, `${run.id}: run advanced but round ${round?.state ?? 'missing'}`);
        assert.equal(model, undefined, `${run.id}: global model 1 stored but round not done`);
        assert.ok(!acks.rounds.has(i), `${run.id}: acknowledged as done but not done after the crash`);
      }
    }
    for (const i of acks.rounds) assert.equal((await store.getRound(`run-${i}`, 1))?.state, 'done', `run-${i} acknowledged`);
    assert.ok(stored >= acks.updates.size);
    return `${done} rounds done (${acks.rounds.size} acknowledged), ${stored} updates stored (${acks.updates.size} acknowledged)`;
  } finally {
    await store.close();
  }
}

/** Three moments: between two runs, while the second run's updates are in flight, while its round is being completed. */
const KILLS: readonly { readonly moment: string; readonly when: (acks: Acks) => boolean }[] = [
  { moment: 'right after round 1 of run 0 is done', when: (a) => a.rounds.size >= 1 },
  { moment: 'with 4 of 12 updates of run 1 acknowledged', when: (a) => a.updates.size >= UPDATES_PER_ROUND + 4 },
  { moment: 'when every update of run 1 is acknowledged', when: (a) => a.updates.size >= 2 * UPDATES_PER_ROUND },
];

describe('SIGKILL mid-write, SQLite with group commit', () => {
  const temp = makeTempDir('store-crash');
  after(temp.cleanup);
  KILLS.forEach(({ moment, when }, n) => {
    test(`killed ${moment}: acknowledged updates and rounds survive, rounds all or nothing`, async (t) => {
      const file = path.join(temp.dir, `crash-${n}.sqlite`);
      t.diagnostic(await checkAfterCrash(file, await runAndKill(file, when)));
    });
  });
});

describe('SIGKILL mid-write, PostgreSQL', () => {
  const schemas: string[] = [];
  before(requirePostgres);
  after(() => dropSchemas(schemas));
  KILLS.forEach(({ moment, when }) => {
    test(`killed ${moment}: acknowledged updates and rounds survive, rounds all or nothing`, async (t) => {
      const schema = uniqueSchemaName('crash');
      schemas.push(schema);
      const url = postgresSchemaUrl(schema);
      t.diagnostic(await checkAfterCrash(url, await runAndKill(url, when)));
    });
  });
});
