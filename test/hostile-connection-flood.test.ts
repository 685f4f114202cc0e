import { test } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import { handshakeRefusalOf, type HandshakeRefusal } from '../common/events/index.ts';
import { mintClientToken } from '../server/auth/index.ts';
import { connectRaw, type RawPeer } from './raw-protocol-client.ts';
import { SECRET, startClient, startTestServer } from './rounds-fixtures.ts';

/**
 * Connection floods: one client id opening connections as fast as it can is
 * held to the ConnectionRateLimiter's rate (refused with 'unavailable'), a
 * crowd of connections with bad or missing tokens is refused at the
 * handshake, and meanwhile two honest clients connect and complete a round.
 */

const LIMIT = { maxConnections: 5, windowMs: 1_500 };

type Refusal = Error & { data?: HandshakeRefusal };

async function tryConnect(url: string, token: string): Promise<{ peer: RawPeer } | { refusal: HandshakeRefusal | undefined }> {
  try {
    return { peer: await connectRaw(url, token) };
  } catch (e) {
    return { refusal: (e as Refusal).data };
  }
}

test('a flood of connections from one client id is rate-limited while two honest clients complete their round', { timeout: 60_000 }, async (ctx) => {
  const t = await startTestServer({ rounds: 1, minClients: 2, roundTimeoutMs: 30_000 }, { connectionRateLimit: LIMIT });
  const flooderToken = mintClientToken(SECRET, 'flooder');
  const honest: Array<Awaited<ReturnType<typeof startClient>>> = [];
  try {
    // Within one window: exactly maxConnections are admitted, the next is refused with the typed code.
    for (let i = 0; i < LIMIT.maxConnections; i++) {
      const r = await tryConnect(t.url, flooderToken);
      assert.ok('peer' in r, `connection ${i + 1} of ${LIMIT.maxConnections} is admitted`);
      r.peer.close();
    }
    const refused = await tryConnect(t.url, flooderToken);
    assert.ok('refusal' in refused && refused.refusal?.code === 'unavailable', 'the next one is refused as unavailable');

    // The flood goes on while an honest client joins and completes a round.
    let flooding = true;
    let admitted = 0;
    let refusals = 0;
    const floodStart = Date.now();
    const flood = (async () => {
      while (flooding) {
        const r = await tryConnect(t.url, flooderToken);
        if ('peer' in r) {
          admitted++;
          r.peer.close();
        } else {
          assert.equal(r.refusal?.code, 'unavailable');
          refusals++;
        }
      }
    })();
    honest.push(await startClient(t.url, 0), await startClient(t.url, 1));
    const done = await t.waitFor((e) => e.type === 'roundCompleted' || e.type === 'roundFailed');
    await new Promise((r) => setTimeout(r, LIMIT.windowMs)); // flood past at least one full window
    flooding = false;
    await flood;
    const floodSeconds = (Date.now() - floodStart) / 1000;
    ctx.diagnostic(`flood of ${floodSeconds.toFixed(1)} s: ${admitted} connections admitted, ${refusals} refused (limit ${LIMIT.maxConnections} per ${LIMIT.windowMs} ms)`);
    assert.equal(done.type, 'roundCompleted', `the honest clients completed their round during the flood: ${JSON.stringify(done)}`);
    assert.ok(refusals > 10 * admitted, `most flood connections were refused (${refusals} refused, ${admitted} admitted)`);
    // Refused attempts do not extend the window, so the flooder gets its quota back each window: no more.
    const allowed = LIMIT.maxConnections * (Math.ceil((floodSeconds * 1000) / LIMIT.windowMs) + 1);
    assert.ok(admitted <= allowed, `admitted ${admitted} in ${floodSeconds.toFixed(1)} s, the rate allows ${allowed}`);
    assert.ok(admitted >= 1, 'the limit is a rate, not a ban: the flooder was admitted again in a later window');
    assert.deepEqual((await t.store.listClients()).map((c) => c.id).sort(), ['client-0', 'client-1'], 'no flood connection reached the store');
    assert.equal((await fetch(`${t.url}/api/health`)).status, 200);
  } finally {
    for (const h of honest) h.client.close();
    await t.close();
  }
});

test('a crowd of connections with bad or missing tokens is refused at the handshake and the server keeps serving', { timeout: 60_000 }, async () => {
  // 200 at once from one address: above the per-address connection cap, which test/security-connection-gate.test.ts covers.
  const t = await startTestServer({ rounds: 1, minClients: 2, roundTimeoutMs: 30_000 }, { connectionLimits: { maxConnectionsPerAddress: 1000 } });
  try {
    const noAuth = await new Promise<HandshakeRefusal | undefined>((resolve) => {
      const socket = io(t.url, { transports: ['websocket'], reconnection: false, forceNew: true });
      socket.once('connect', () => resolve(undefined));
      socket.once('connect_error', (e: Refusal) => {
        socket.disconnect();
        // Refused on the upgrade request (--read-api private: no observer session without a token either): the HTTP 401 is the code.
        resolve(e.data ?? handshakeRefusalOf(e) ?? undefined);
      });
    });
    assert.equal(noAuth?.code, 'unauthenticated', 'no auth payload at all');

    const badTokens = Array.from({ length: 200 }, (_, i) =>
      i % 4 === 0 ? `ff1.${'A'.repeat(i)}.x` : i % 4 === 1 ? mintClientToken('another-secret-0123456789', `c${i}`) : i % 4 === 2 ? 'x'.repeat(2000) : `${mintClientToken(SECRET, `c${i}`)}x`,
    );
    const results = await Promise.all(badTokens.map((token) => tryConnect(t.url, token)));
    const codes = results.map((r) => ('refusal' in r ? r.refusal?.code : 'admitted'));
    assert.deepEqual([...new Set(codes)], ['unauthenticated'], 'every bad token is refused with the typed code');

    const honest = [await startClient(t.url, 0), await startClient(t.url, 1)];
    try {
      const done = await t.waitFor((e) => e.type === 'roundCompleted' || e.type === 'roundFailed');
      assert.equal(done.type, 'roundCompleted', JSON.stringify(done));
    } finally {
      for (const h of honest) h.client.close();
    }
    assert.deepEqual((await t.store.listClients()).map((c) => c.id).sort(), ['client-0', 'client-1']);
  } finally {
    await t.close();
  }
});
