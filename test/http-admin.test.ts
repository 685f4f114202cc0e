import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FedfuseError } from '../common/errors/index.ts';
import { verifyClientToken } from '../server/auth/index.ts';
import { createHttpApi, type TokenView } from '../server/http/index.ts';
import { createServerMetrics } from '../server/metrics/index.ts';
import { openRoundStore, SqliteAsyncRoundStore } from '../server/store/index.ts';
import { ADMIN_TOKEN, LIVE_TRAINING, SECRET, assertJsonError, fetchJson, seedRuns, startApi, type RunningApi, READ_HEADERS } from './http-fixtures.ts';

function post(url: string, options: { token?: string; authorization?: string; body?: string; contentType?: string } = {}): RequestInit {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  if (options.authorization !== undefined) headers['authorization'] = options.authorization;
  if (options.body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  return { method: 'POST', headers, ...(options.body === undefined ? {} : { body: options.body }) };
}

describe('admin routes with an admin token configured', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi({ seed: seedRuns });
  });
  after(() => api.close());

  test('POST /api/run/stop without a token, with a wrong one, or another scheme -> 401 and stopRun is not called', async () => {
    const before = api.stopCalls;
    const attempts: [string, RequestInit][] = [
      ['no header', post('')],
      ['wrong token', post('', { token: 'not-the-token' })],
      ['token with a suffix', post('', { token: `${ADMIN_TOKEN}x` })],
      ['token prefix', post('', { token: ADMIN_TOKEN.slice(0, -1) })],
      ['basic scheme', post('', { authorization: `Basic ${ADMIN_TOKEN}` })],
      ['bare token', post('', { authorization: ADMIN_TOKEN })],
      ['empty bearer', post('', { authorization: 'Bearer ' })],
    ];
    for (const [what, init] of attempts) {
      const res = await fetchJson(`${api.url}/api/run/stop`, init);
      assertJsonError(res, 401, 'unauthenticated');
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/, what);
    }
    assert.equal(api.stopCalls, before);
  });

  test('POST /api/run/stop with the admin token -> 200 and stopRun is called once', async () => {
    const before = api.stopCalls;
    const res = await fetchJson(`${api.url}/api/run/stop`, post('', { token: ADMIN_TOKEN }));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { stopped: true });
    assert.equal(api.stopCalls, before + 1);
    // The scheme is case-insensitive (RFC 7235).
    assert.equal((await fetchJson(`${api.url}/api/run/stop`, post('', { authorization: `bearer ${ADMIN_TOKEN}` }))).status, 200);
  });

  test('POST /api/tokens mints a token the server accepts, bound to the client id, with an id and the default 30-day lifetime', async () => {
    const res = await fetchJson(`${api.url}/api/tokens`, post('', { token: ADMIN_TOKEN, body: JSON.stringify({ clientId: 'edge-007' }) }));
    assert.equal(res.status, 200);
    const body = res.body as TokenView;
    assert.equal(body.clientId, 'edge-007');
    assert.equal(body.expiresAtMs - body.issuedAtMs, 30 * 24 * 3600 * 1000);
    assert.deepEqual(verifyClientToken(SECRET, body.token, Date.now()), { clientId: 'edge-007', tokenId: body.tokenId, issuedAtMs: body.issuedAtMs, expiresAtMs: body.expiresAtMs });
    assert.throws(() => verifyClientToken('another-secret-0123456789', body.token, Date.now()), FedfuseError);
  });

  test('POST /api/tokens with expiresInSeconds gives a token that expires then', async () => {
    const start = Date.now();
    const res = await fetchJson(`${api.url}/api/tokens`, post('', { token: ADMIN_TOKEN, body: JSON.stringify({ clientId: 'c1', expiresInSeconds: 60 }) }));
    const end = Date.now();
    assert.equal(res.status, 200);
    const { token, expiresAtMs } = res.body as TokenView;
    assert.ok(expiresAtMs >= start + 60_000 && expiresAtMs <= end + 60_000, `expiry ${expiresAtMs}`);
    assert.equal(verifyClientToken(SECRET, token, end).expiresAtMs, expiresAtMs);
    assert.throws(() => verifyClientToken(SECRET, token, expiresAtMs), /expired/);
  });

  test('POST /api/tokens without the admin token -> 401 whatever the body, malformed included', async () => {
    assertJsonError(await fetchJson(`${api.url}/api/tokens`, post('', { body: JSON.stringify({ clientId: 'c1' }) })), 401, 'unauthenticated');
    assertJsonError(await fetchJson(`${api.url}/api/tokens`, post('', { token: 'wrong', body: '{"clientId":' })), 401, 'unauthenticated');
  });

  const badBodies: [string, string | undefined, string | undefined, number, string][] = [
    ['malformed JSON', '{"clientId":', undefined, 400, 'bad_message'],
    ['a trailing comma', '{"clientId":"c1",}', undefined, 400, 'bad_message'],
    ['a JSON string (not an object)', '"c1"', undefined, 400, 'bad_message'],
    ['a JSON array', '["c1"]', undefined, 400, 'invalid_argument'],
    ['no body', undefined, undefined, 400, 'invalid_argument'],
    ['a text/plain body', '{"clientId":"c1"}', 'text/plain', 400, 'invalid_argument'],
    ['no clientId', '{}', undefined, 400, 'invalid_argument'],
    ['a clientId with a slash', '{"clientId":"../c1"}', undefined, 400, 'invalid_argument'],
    ['a numeric clientId', '{"clientId":7}', undefined, 400, 'invalid_argument'],
    ['a 65-character clientId', JSON.stringify({ clientId: 'x'.repeat(65) }), undefined, 400, 'invalid_argument'],
    ['an unknown field', '{"clientId":"c1","expiresIn":60}', undefined, 400, 'invalid_argument'],
    ['a fractional expiry', '{"clientId":"c1","expiresInSeconds":1.5}', undefined, 400, 'invalid_argument'],
    ['a zero expiry', '{"clientId":"c1","expiresInSeconds":0}', undefined, 400, 'invalid_argument'],
    ['an expiry in milliseconds by mistake', '{"clientId":"c1","expiresInSeconds":1700000000000}', undefined, 400, 'invalid_argument'],
    ['a string expiry', '{"clientId":"c1","expiresInSeconds":"60"}', undefined, 400, 'invalid_argument'],
    ['a body over 16 kB', JSON.stringify({ clientId: 'c1', padding: 'x'.repeat(20_000) }), undefined, 413, 'too_large'],
  ];
  for (const [what, body, contentType, status, code] of badBodies) {
    test(`POST /api/tokens with ${what} -> ${status} ${code} as JSON`, async () => {
      const init = post('', { token: ADMIN_TOKEN, ...(body === undefined ? {} : { body }), ...(contentType === undefined ? {} : { contentType }) });
      assertJsonError(await fetchJson(`${api.url}/api/tokens`, init), status, code);
    });
  }

  test('GET on a mutating route is not routed: 404 JSON, and stopRun is not called', async () => {
    const before = api.stopCalls;
    assertJsonError(await fetchJson(`${api.url}/api/run/stop?token=${ADMIN_TOKEN}`), 404, 'not_found');
    assert.equal(api.stopCalls, before);
  });
});

describe('admin routes with no admin token configured', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi({ seed: seedRuns, overrides: { adminToken: null } });
  });
  after(() => api.close());

  test('are disabled: 403 with a message saying to configure an admin token, with or without a token presented', async () => {
    for (const init of [post(''), post('', { token: ADMIN_TOKEN }), post('', { token: '' })]) {
      const message = assertJsonError(await fetchJson(`${api.url}/api/run/stop`, init), 403, 'forbidden');
      assert.match(message, /no admin token is configured/);
    }
    assertJsonError(await fetchJson(`${api.url}/api/tokens`, post('', { token: ADMIN_TOKEN, body: '{"clientId":"c1"}' })), 403, 'forbidden');
    assert.equal(api.stopCalls, 0);
  });

  test('an empty configured token counts as none', async () => {
    const empty = await startApi({ overrides: { adminToken: '' } });
    try {
      assertJsonError(await fetchJson(`${empty.url}/api/run/stop`, post('', { authorization: 'Bearer ' })), 403, 'forbidden');
      assert.equal(empty.stopCalls, 0);
    } finally {
      await empty.close();
    }
  });

  test('read-only routes still work', async () => {
    assert.equal((await fetchJson(`${api.url}/api/rounds`, { headers: READ_HEADERS })).status, 200);
  });
});

describe('admin route failures', () => {
  test('POST /api/tokens without a client-token secret configured -> 403', async () => {
    const api = await startApi({ overrides: { secret: undefined } });
    try {
      const message = assertJsonError(await fetchJson(`${api.url}/api/tokens`, post('', { token: ADMIN_TOKEN, body: '{"clientId":"c1"}' })), 403, 'forbidden');
      assert.match(message, /secret/);
    } finally {
      await api.close();
    }
  });

  test('a secret shorter than 16 characters is refused when the API is created', async () => {
    const store = new SqliteAsyncRoundStore(openRoundStore(':memory:'));
    try {
      assert.throws(
        () => createHttpApi({ store, liveStatus: () => LIVE_TRAINING, metrics: createServerMetrics(), adminToken: null, secret: 'short', actions: { stopRun: async () => {} } }),
        (e: unknown) => e instanceof FedfuseError && e.code === 'invalid_argument',
      );
    } finally {
      await store.close();
    }
  });

  test('stopRun failing with a FedfuseError gives that code\'s status and message', async () => {
    const api = await startApi({
      overrides: {
        actions: {
          stopRun: async () => {
            throw new FedfuseError('unavailable', 'the run is already stopping');
          },
        },
      },
    });
    try {
      const message = assertJsonError(await fetchJson(`${api.url}/api/run/stop`, post('', { token: ADMIN_TOKEN })), 503, 'unavailable');
      assert.equal(message, 'the run is already stopping');
      assert.deepEqual(api.logged, []);
    } finally {
      await api.close();
    }
  });

  test('stopRun throwing a plain Error -> 500 "internal error" with no detail for the client, the stack in the log', async () => {
    const api = await startApi({
      overrides: {
        actions: {
          stopRun: async () => {
            throw new Error('secret detail: /var/lib/fedfuse/db');
          },
        },
      },
    });
    try {
      const res = await fetchJson(`${api.url}/api/run/stop`, post('', { token: ADMIN_TOKEN }));
      assert.equal(assertJsonError(res, 500, 'internal'), 'internal error');
      assert.doesNotMatch(res.text, /secret detail/);
      assert.equal(api.logged.length, 1);
      assert.match(api.logged[0]!, /POST \/api\/run\/stop failed: Error: secret detail/);
      assert.match(api.logged[0]!, /http-admin\.test\.ts/, 'the stack is logged');
    } finally {
      await api.close();
    }
  });
});

describe('GET /metrics', () => {
  test('serves the registry as Prometheus text with the fedfuse metrics and their values', async () => {
    const api = await startApi();
    try {
      api.metrics.uploadAccepted(4321);
      api.metrics.uploadRejected('too_large');
      api.metrics.fusionTook('kf-linear', 2);
      api.metrics.setCurrentRound(5);
      const res = await fetch(`${api.url}/metrics`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), api.metrics.registry.contentType);
      const text = await res.text();
      for (const name of [
        'fedfuse_rounds_total',
        'fedfuse_uploads_total',
        'fedfuse_upload_bytes_total',
        'fedfuse_broadcast_bytes_total',
        'fedfuse_fusion_seconds',
        'fedfuse_round_seconds',
        'fedfuse_connected_clients',
        'fedfuse_current_round',
      ]) {
        assert.match(text, new RegExp(`^# HELP ${name} `, 'm'), name);
      }
      assert.match(text, /^fedfuse_upload_bytes_total 4321$/m);
      assert.match(text, /^fedfuse_uploads_total\{result="rejected",code="too_large"\} 1$/m);
      assert.match(text, /^fedfuse_fusion_seconds_count\{aggregator="kf-linear"\} 1$/m);
      assert.match(text, /^fedfuse_current_round 5$/m);
      assert.match(text, /^process_resident_memory_bytes /m);
    } finally {
      await api.close();
    }
  });
});
