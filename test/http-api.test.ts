import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { RoundDetailView, RoundListView, RunListView, StatusView } from '../server/http/index.ts';
import { LIVE_TRAINING, assertJsonError, fetchJson, rawGet, readJson, seedRuns, startApi, type RunningApi, type SeededRuns } from './http-fixtures.ts';

const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('HTTP API over a seeded store', () => {
  let api: RunningApi;
  let seeded: SeededRuns;
  before(async () => {
    api = await startApi({
      seed: (store) => {
        seeded = seedRuns(store);
      },
    });
  });
  after(() => api.close());

  test('GET /api/health answers ok with the package version and the uptime', async () => {
    const res = await fetchJson(`${api.url}/api/health`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const body = res.body as { status: string; version: string; uptimeSeconds: number };
    assert.equal(body.status, 'ok');
    assert.equal(body.version, PACKAGE_VERSION);
    assert.ok(body.uptimeSeconds > 0 && body.uptimeSeconds < 3600, `uptime ${body.uptimeSeconds}`);
  });

  test('GET /api/status is the live status plus the live run record', async () => {
    const res = await readJson(`${api.url}/api/status`);
    assert.equal(res.status, 200);
    const body = res.body as StatusView;
    const { run, ...live } = body;
    assert.deepEqual(live, LIVE_TRAINING);
    assert.deepEqual(run, {
      id: 'run-main',
      state: 'running',
      currentRound: 2,
      createdAt: 2000,
      endedAt: null,
      failureReason: null,
      config: { rounds: 10, clientsPerRound: 3, aggregator: 'kf-linear' },
    });
  });

  test('GET /api/status reads the live status on every request', async () => {
    api.live = { ...LIVE_TRAINING, runId: 'run-old', state: 'finished', connectedClients: [] };
    try {
      const body = (await readJson(`${api.url}/api/status`)).body as StatusView;
      assert.equal(body.state, 'finished');
      assert.deepEqual(body.connectedClients, []);
      assert.equal(body.run?.id, 'run-old');
      assert.equal(body.run?.state, 'finished');
      assert.equal(typeof body.run?.endedAt, 'number');
    } finally {
      api.live = LIVE_TRAINING;
    }
  });

  test('GET /api/runs lists every run, newest first', async () => {
    const body = (await readJson(`${api.url}/api/runs`)).body as RunListView;
    assert.deepEqual(
      body.runs.map((r) => [r.id, r.state, r.currentRound, r.createdAt]),
      [
        ['run-main', 'running', 2, 2000],
        ['run-old', 'finished', 1, 1000],
      ],
    );
  });

  test('GET /api/rounds lists the current run\'s rounds with the stored numbers', async () => {
    const res = await readJson(`${api.url}/api/rounds`);
    assert.equal(res.status, 200);
    const body = res.body as RoundListView;
    assert.equal(body.runId, 'run-main');
    assert.deepEqual(body.initialEvaluations, [{ dataset: 'test', accuracy: 0.1, loss: 2.3, samples: 1000 }]);
    assert.deepEqual(body.rounds, [
      {
        round: 1,
        attempt: 2,
        state: 'done',
        aggregator: 'kf-linear',
        fusionSeconds: 1.25,
        participants: 2,
        // Ordered by dataset name, as the store lists them.
        evaluations: [
          { dataset: 'calibration', accuracy: 0.85, loss: 0.5, samples: 400 },
          { dataset: 'test', accuracy: 0.8, loss: 0.6, samples: 1000 },
        ],
        failureReason: null,
        openedAt: 4000,
        closedAt: 4500,
      },
      {
        round: 2,
        attempt: 1,
        state: 'done',
        aggregator: 'mean',
        fusionSeconds: 0.05,
        participants: 3,
        evaluations: [{ dataset: 'test', accuracy: 0.9, loss: 0.3, samples: 1000 }],
        failureReason: null,
        openedAt: 5000,
        closedAt: 5500,
      },
      {
        round: 3,
        attempt: 2,
        state: 'open',
        aggregator: null,
        fusionSeconds: null,
        participants: 1,
        evaluations: [],
        failureReason: null,
        openedAt: 7000,
        closedAt: null,
      },
    ]);
  });

  test('GET /api/rounds?run=ID lists another run\'s rounds', async () => {
    const body = (await readJson(`${api.url}/api/rounds?run=run-old`)).body as RoundListView;
    assert.equal(body.runId, 'run-old');
    assert.deepEqual(
      body.rounds.map((r) => [r.round, r.state, r.aggregator, r.participants]),
      [[1, 'done', 'mean', 1]],
    );
  });

  test('GET /api/rounds/1 details the round: metrics, sampled clients, updates and the failed first attempt', async () => {
    const res = await readJson(`${api.url}/api/rounds/1`);
    assert.equal(res.status, 200);
    const body = res.body as RoundDetailView;
    assert.equal(body.round, 1);
    assert.equal(body.attempt, 2);
    assert.equal(body.state, 'done');
    assert.equal(body.participants, 2);
    assert.equal(body.deadline, 4400);
    assert.deepEqual(body.sampledClients, ['c1', 'c2', 'c3']);
    assert.deepEqual(body.metrics, { phases: { fusion: 1.25, evaluation: 0.5 } });
    assert.equal(body.evaluations.length, 2);
    assert.deepEqual(body.updates, [
      { clientId: 'c1', numExamples: 100, bytes: seeded.updateBytes.get('1/c1'), receivedAt: 4100, hasAttribution: false, clientMetrics: { loss: 0.5, epochs: 1 } },
      { clientId: 'c2', numExamples: 200, bytes: seeded.updateBytes.get('1/c2'), receivedAt: 4200, hasAttribution: true, clientMetrics: null },
    ]);
    assert.ok((body.updates[1]?.bytes ?? 0) > 77, 'the attribution counts in the byte size');
    assert.deepEqual(body.previousAttempts, [{ attempt: 1, failedAt: 3500, reason: 'only 1 of 3 updates before the deadline' }]);
  });

  test('GET /api/rounds/latest is the newest round, still open, with the failure of its first attempt', async () => {
    const body = (await readJson(`${api.url}/api/rounds/latest`)).body as RoundDetailView;
    assert.equal(body.round, 3);
    assert.equal(body.state, 'open');
    assert.deepEqual(body.sampledClients, ['c2', 'c3']);
    assert.deepEqual(
      body.updates.map((u) => [u.clientId, u.numExamples]),
      [['c3', 300]],
    );
    assert.deepEqual(body.previousAttempts, [{ attempt: 1, failedAt: 6500, reason: 'fusion failed: singular Gram matrix' }]);
  });

  test('GET /api/rounds/2 lists updates in arrival order with no earlier attempts', async () => {
    const body = (await readJson(`${api.url}/api/rounds/2`)).body as RoundDetailView;
    assert.deepEqual(
      body.updates.map((u) => [u.clientId, u.numExamples, u.bytes]),
      [
        ['c3', 300, seeded.updateBytes.get('2/c3')],
        ['c1', 100, seeded.updateBytes.get('2/c1')],
        ['c2', 200, seeded.updateBytes.get('2/c2')],
      ],
    );
    assert.deepEqual(body.previousAttempts, []);
  });

  const badRequests: [string, number, string][] = [
    ['/api/rounds/abc', 400, 'invalid_argument'],
    ['/api/rounds/-1', 400, 'invalid_argument'],
    ['/api/rounds/1.5', 400, 'invalid_argument'],
    ['/api/rounds/01', 400, 'invalid_argument'],
    ['/api/rounds/1e3', 400, 'invalid_argument'],
    ['/api/rounds/9999999999', 400, 'invalid_argument'],
    ['/api/rounds/%20%31', 400, 'invalid_argument'],
    ['/api/rounds/..%2F..%2Fetc%2Fpasswd', 400, 'invalid_argument'],
    ['/api/rounds/%E0%A4%A', 400, 'bad_message'],
    ['/api/rounds/0', 404, 'not_found'],
    ['/api/rounds/99', 404, 'not_found'],
    ['/api/rounds?run=no-such-run', 404, 'not_found'],
    ['/api/rounds/1?run=no-such-run', 404, 'not_found'],
    ['/api/rounds?run=a&run=b', 400, 'invalid_argument'],
    ['/api/rounds?run=', 400, 'invalid_argument'],
    ['/api/nope', 404, 'not_found'],
    ['/nope', 404, 'not_found'],
    ['/api/rounds/1/nope', 404, 'not_found'],
  ];
  for (const [path, status, code] of badRequests) {
    test(`GET ${path} -> ${status} ${code} as JSON`, async () => {
      assertJsonError(await readJson(`${api.url}${path}`), status, code);
    });
  }

  test('a path with literal ../ segments (sent raw, not normalised) matches no route: 404 JSON', async () => {
    for (const path of ['/api/rounds/1/../../x', '/api/rounds/../../../etc/passwd', '/api/rounds/1/../../../etc/passwd']) {
      assertJsonError(await rawGet(api.url, path), 404, 'not_found');
    }
  });

  test('a method no route answers is a JSON 404, not express\'s HTML page', async () => {
    assertJsonError(await fetchJson(`${api.url}/api/health`, { method: 'POST' }), 404, 'not_found');
    assertJsonError(await fetchJson(`${api.url}/api/rounds`, { method: 'DELETE' }), 404, 'not_found');
  });
});

describe('HTTP API over an empty store', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi({ live: { ...LIVE_TRAINING, runId: null, state: 'waiting_for_clients', connectedClients: [], sampledClients: [], updatesReceived: 0, round: 1, deadlineUnixMs: null } });
  });
  after(() => api.close());

  test('GET /api/status has no run record', async () => {
    const body = (await readJson(`${api.url}/api/status`)).body as StatusView;
    assert.equal(body.run, null);
    assert.equal(body.runId, null);
    assert.equal(body.state, 'waiting_for_clients');
  });

  test('GET /api/runs is an empty list; round routes say there is no run (404)', async () => {
    assert.deepEqual((await readJson(`${api.url}/api/runs`)).body, { runs: [] });
    for (const path of ['/api/rounds', '/api/rounds/1', '/api/rounds/latest', '/api/rounds/0/model/model.json']) {
      const message = assertJsonError(await readJson(`${api.url}${path}`), 404, 'not_found');
      assert.match(message, /no run/);
    }
  });
});

describe('HTTP API when the store fails', () => {
  test('a closed store answers 503 unavailable as JSON', async () => {
    const api = await startApi({ seed: seedRuns });
    try {
      api.store.close();
      assertJsonError(await readJson(`${api.url}/api/rounds`), 503, 'unavailable');
      assertJsonError(await readJson(`${api.url}/api/status`), 503, 'unavailable');
      // Health does not touch the store: the process still serves.
      assert.equal((await fetchJson(`${api.url}/api/health`)).status, 200);
    } finally {
      await api.close();
    }
  });
});

describe('a round that failed and was not reopened', () => {
  test('shows its failure reason, and only earlier attempts as previous attempts', async () => {
    const api = await startApi({
      seed: (store) => {
        store.createRun({ id: 'run-f', config: {}, modelSpec: {}, createdAt: 1 });
        store.upsertClient({ id: 'c1', numExamples: 1 });
        store.openRound({ runId: 'run-f', round: 1, sampledClientIds: ['c1'], deadline: 200, attempt: 1, openedAt: 100 });
        store.failRound('run-f', 1, 'first failure', 300);
        store.openRound({ runId: 'run-f', round: 1, sampledClientIds: ['c1'], deadline: 500, attempt: 2, openedAt: 400 });
        store.failRound('run-f', 1, 'second failure', 600);
      },
      live: { ...LIVE_TRAINING, runId: 'run-f' },
    });
    try {
      const detail = (await readJson(`${api.url}/api/rounds/1`)).body as RoundDetailView;
      assert.equal(detail.state, 'failed');
      assert.equal(detail.attempt, 2);
      assert.equal(detail.failureReason, 'second failure');
      assert.equal(detail.closedAt, 600);
      assert.deepEqual(detail.previousAttempts, [{ attempt: 1, failedAt: 300, reason: 'first failure' }]);
      const list = (await readJson(`${api.url}/api/rounds`)).body as RoundListView;
      assert.deepEqual(
        list.rounds.map((r) => [r.round, r.state, r.failureReason, r.participants]),
        [[1, 'failed', 'second failure', 0]],
      );
    } finally {
      await api.close();
    }
  });
});
