import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClientActivity, ObserverStatus } from '../common/events/observer-events.ts';
import { encodeEnvelope } from '../common/wire/index.ts';
import { mintClientToken } from '../server/auth/index.ts';
import { craftUpdateBytes, perturbed, replyCode, updateFor } from './hostile-fixtures.ts';
import { connectRaw, hello, type RawPeer } from './raw-protocol-client.ts';
import { READ_HEADERS, SECRET, startTestServer } from './rounds-fixtures.ts';

/**
 * Each client's state as the dashboard reads it (GET /api/observer, the same
 * status as the observer namespace), driven by a raw peer over a real socket
 * through every state: connected, training, refused with the code (an upload
 * the envelope decoder refuses, before the orchestrator sees it), uploaded
 * (with its size and time), and gone.
 */
async function clientState(url: string, clientId: string): Promise<ClientActivity | undefined> {
  const status = (await (await fetch(`${url}/api/observer`, { headers: READ_HEADERS })).json()) as ObserverStatus;
  return status.clients.find((c) => c.clientId === clientId);
}

/** Polls the status until the client shows `state` (statuses are coalesced for up to 100 ms). */
async function untilState(url: string, clientId: string, state: ClientActivity['state']): Promise<ClientActivity> {
  let last: ClientActivity | undefined;
  for (let i = 0; i < 200 && last?.state !== state; i++) {
    last = await clientState(url, clientId);
    if (last?.state !== state) await new Promise((r) => setTimeout(r, 25));
  }
  assert.equal(last?.state, state, `${clientId} shows ${state}: ${JSON.stringify(last)}`);
  return last!;
}

test('the dashboard shows a client connected, training, refused with the code, uploaded with size and time, then gone', { timeout: 60_000 }, async () => {
  const t = await startTestServer({ rounds: 1, minClients: 2, roundTimeoutMs: 30_000 }, { dashboard: { access: 'on', demo: null } });
  const peers: RawPeer[] = [];
  try {
    const mallory = await connectRaw(t.url, mintClientToken(SECRET, 'mallory'));
    peers.push(mallory);
    assert.equal((await mallory.send(hello('mallory'))).type, 'welcome');
    const connected = await untilState(t.url, 'mallory', 'connected');
    assert.equal(connected.lastUpdateRound, null);

    const bob = await connectRaw(t.url, mintClientToken(SECRET, 'bob'));
    peers.push(bob);
    assert.equal((await bob.send(hello('bob'))).type, 'welcome');
    const task = await mallory.nextTask();
    const training = await untilState(t.url, 'mallory', 'training');
    assert.equal(training.sampled, true);

    // A NaN weight: refused by the envelope decoder (non_finite), which is not an orchestrator event.
    const valid = updateFor(task, 'mallory', { model: perturbed(task.model, 1) });
    const nan = craftUpdateBytes(valid, (body) => new DataView(body.model!.tensors![0]!.data!.buffer).setFloat32(0, Number.NaN, true));
    assert.equal(replyCode(await mallory.sendRaw(nan)), 'non_finite');
    const refused = await untilState(t.url, 'mallory', 'refused');
    assert.equal(refused.refusedCode, 'non_finite');
    assert.match(refused.refusedMessage ?? '', /finite/i);

    const before = Date.now();
    const bytes = encodeEnvelope(valid);
    assert.equal((await mallory.sendRaw(bytes)).type, 'ack');
    const uploaded = await untilState(t.url, 'mallory', 'uploaded');
    assert.equal(uploaded.lastUpdateRound, 1);
    assert.equal(uploaded.lastUpdateBytes, bytes.byteLength, 'the size on the wire');
    assert.ok(uploaded.lastUpdateAt !== null && uploaded.lastUpdateAt >= before - 5 && uploaded.lastUpdateAt <= Date.now(), 'the time of the upload');
    assert.equal(uploaded.refusedCode, null, 'an accepted upload clears the refusal');

    // Sending the same update again (a lost ack): still uploaded, not refused.
    assert.equal(replyCode(await mallory.sendRaw(bytes)), 'duplicate');
    assert.equal((await clientState(t.url, 'mallory'))?.state, 'uploaded');

    mallory.close();
    const gone = await untilState(t.url, 'mallory', 'gone');
    assert.equal(gone.lastUpdateBytes, bytes.byteLength, 'a gone client keeps its last update');
    assert.equal((await clientState(t.url, 'bob'))?.state, 'training', 'the other client is untouched');
  } finally {
    for (const p of peers) p.close();
    await t.close();
  }
});
