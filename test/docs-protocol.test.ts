import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERROR_CODES, isFedfuseError, type ErrorCode } from '../common/errors/index.ts';
import { ENVELOPE_EVENT, refusalCodeOfStatus } from '../common/events/index.ts';
import { layerWidths } from '../common/model/spec.ts';
import { EMPTY_RECORDS } from '../common/records/index.ts';
import {
  decodeEnvelope,
  encodeEnvelope,
  MAX_CONFIG_ENTRIES,
  MAX_MESSAGE_BYTES,
  MAX_RECORDS_PER_KIND,
  MAX_TENSORS_PER_RECORD,
  PROTOCOL_VERSION,
  type ClientUpdate,
  type WireMessage,
} from '../common/wire/index.ts';
import { fedfuse } from '../common/wire/generated/fedfuse.js';
import { isValidClientId, mintClientToken } from '../server/auth/index.ts';
import { SERVER_OPTIONS } from '../server/config/index.ts';
import { DEFAULT_RUN_SETTINGS } from '../server/rounds/index.ts';
import { checkLabelHistogram, checkUpdateAdmission, type AdmissionContext } from '../server/rounds/update-admission.ts';
import type { RunRecord } from '../server/store/index.ts';
import { connectRaw, hello, type RawPeer } from './raw-protocol-client.ts';
import { SECRET, startTestServer, tinyMlp, type TestServer } from './rounds-fixtures.ts';
import { positiveScores, randomNetwork, SMALL_MLP_SPEC } from './wire-fixtures.ts';

/**
 * docs/protocol.md is the contract for clients in other languages. Its tables
 * marked "(checked)" are parsed here and held against the code: each
 * validation rule is provoked (real protobuf bytes through the real decoder,
 * the admission check the server runs, and a real server over a real socket
 * for the transport's rules) and must give the documented code; every limit is
 * compared with the constant or the running server's setting; every error code
 * with the proto enum. A rule without a probe, or a probe without a row, fails.
 */

const DOC = readFileSync(new URL('../docs/protocol.md', import.meta.url), 'utf8');

/** The first table after the heading that starts with `heading`, as rows keyed by the header cells. */
function tableAfter(heading: string): Record<string, string>[] {
  const lines = DOC.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  assert.ok(start >= 0, `docs/protocol.md has a "${heading}" section`);
  const first = lines.findIndex((l, i) => i > start && l.startsWith('|'));
  const block: string[] = [];
  for (let i = first; i < lines.length && lines[i]!.startsWith('|'); i++) block.push(lines[i]!);
  const cells = (l: string): string[] => l.slice(1, -1).split(' | ').map((c) => c.trim());
  const header = cells(block[0]!);
  return block.slice(2).map((l) => Object.fromEntries(cells(l).map((c, i) => [header[i]!, c])));
}

const unquote = (cell: string): string => cell.replace(/^`|`$/g, '');

/** The code a probe's failure carries (a FedfuseError), or 'accepted'. */
function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'accepted';
  } catch (e) {
    if (isFedfuseError(e)) return e.code;
    throw e;
  }
}

const MODEL = randomNetwork(SMALL_MLP_SPEC, 1);
const UPDATE: ClientUpdate = {
  type: 'clientUpdate',
  runId: 'run-1',
  round: 1,
  clientId: 'c1',
  model: MODEL,
  attribution: positiveScores(SMALL_MLP_SPEC, 2),
  numExamples: 10,
  metrics: { loss: 0.5, accuracy: 0.5, trainSeconds: 1, attributionSeconds: 0.1 },
  records: EMPTY_RECORDS,
  localSteps: 0,
};

/** A valid envelope as a protobuf object, edited, encoded without encodeEnvelope's checks, then decoded. */
function decodeEdited(msg: WireMessage, edit: (env: fedfuse.v1.IEnvelope) => void): WireMessage {
  const env = fedfuse.v1.Envelope.decode(encodeEnvelope(msg)) as fedfuse.v1.IEnvelope;
  edit(env);
  return decodeEnvelope(fedfuse.v1.Envelope.encode(env).finish());
}
const editUpdate = (edit: (u: fedfuse.v1.IClientUpdate) => void) => () => decodeEdited(UPDATE, (env) => edit(env.clientUpdate!));
const scoresBytes = (values: number[]): Uint8Array => new Uint8Array(Float32Array.from(values).buffer);

/** The admission check as the server runs it for a connected, sampled client of round 1 of run-1. */
function admit(update: ClientUpdate, overrides: Partial<AdmissionContext> = {}): void {
  const run = { id: 'run-1', currentRound: 0, state: 'running' } as RunRecord;
  checkUpdateAdmission('c1', update, {
    run,
    open: { round: 1, sampled: new Set(['c1']) },
    closingPhase: null,
    isConnected: () => true,
    hasStoredUpdate: () => false,
    spec: SMALL_MLP_SPEC,
    maxNumExamples: DEFAULT_RUN_SETTINGS.maxNumExamples,
    ...overrides,
  });
}

/** Probes that need a real server: each sends over a real socket and returns the code of the reply. */
type ServerProbe = (s: TestServer) => Promise<string>;

async function replyTo(s: TestServer, tokenFor: string, messages: WireMessage[]): Promise<string> {
  const peer: RawPeer = await connectRaw(s.url, mintClientToken(SECRET, tokenFor));
  try {
    let reply: WireMessage | null = null;
    for (const m of messages) reply = await peer.send(m);
    return reply!.type === 'error' ? reply!.code : reply!.type;
  } finally {
    peer.close();
  }
}

const SERVER_PROBES: Record<string, ServerProbe> = {
  'hello-token-id': (s) => replyTo(s, 'doc-a', [hello('doc-b')]),
  'hello-histogram': (s) => replyTo(s, 'doc-c', [{ ...(hello('doc-c') as Extract<WireMessage, { type: 'clientHello' }>), labelHistogram: [1, 2, 3] }]),
  // The test server trains one width: a device declaring it can train half of it is told so at hello.
  'hello-width-capacity': (s) => replyTo(s, 'doc-e', [{ ...(hello('doc-e') as Extract<WireMessage, { type: 'clientHello' }>), widthCapacity: 0.5 }]),
  'update-hello-first': (s) => replyTo(s, 'doc-d', [{ ...UPDATE, clientId: 'doc-d' }]),
};

const PROBES: Record<string, () => unknown> = {
  'envelope-bytes': () => decodeEnvelope(new Uint8Array([0xff, 0xff, 0xff, 0xff])),
  'envelope-version': () => decodeEdited(UPDATE, (env) => (env.protocolVersion = 1)),
  'envelope-body': () => decodeEnvelope(fedfuse.v1.Envelope.encode({ protocolVersion: PROTOCOL_VERSION }).finish()),
  'envelope-size': () => decodeEnvelope(new Uint8Array(MAX_MESSAGE_BYTES + 1)),
  'hello-client-id': () => decodeEdited(hello('x'), (env) => (env.clientHello!.clientId = '')),
  'update-client-id': editUpdate((u) => (u.clientId = '')),
  'update-token-id': () => admit({ ...UPDATE, clientId: 'someone-else' }),
  'update-run': () => admit({ ...UPDATE, runId: 'run-0' }),
  'update-round': () => admit({ ...UPDATE, round: 2 }),
  'update-sampled': () => admit(UPDATE, { open: { round: 1, sampled: new Set(['c2']) } }),
  'update-once': () => admit(UPDATE, { hasStoredUpdate: () => true }),
  'update-model': editUpdate((u) => (u.model = null)),
  'update-tensor-missing': editUpdate((u) => (u.model!.tensors = u.model!.tensors!.slice(1))),
  'update-tensor-shape': editUpdate((u) => (u.model!.tensors![0]!.shape = [1, 2])),
  'update-tensor-finite': editUpdate((u) => {
    const t = u.model!.tensors![0]!;
    const data = Uint8Array.from(t.data!);
    new DataView(data.buffer).setFloat32(0, Number.NaN, true);
    t.data = data;
  }),
  'update-architecture': () => admit(UPDATE, { spec: tinyMlp().spec }),
  'update-metrics': editUpdate((u) => (u.metrics = null)),
  'update-accuracy': editUpdate((u) => (u.metrics!.accuracy = 1.5)),
  'update-loss': editUpdate((u) => (u.metrics!.loss = -1)),
  'update-seconds': editUpdate((u) => (u.metrics!.trainSeconds = -1)),
  'update-num-examples': () => admit({ ...UPDATE, numExamples: DEFAULT_RUN_SETTINGS.maxNumExamples + 1 }),
  'attribution-method': editUpdate((u) => (u.attribution!.method = 'astrology')),
  'attribution-layers': editUpdate((u) => (u.attribution!.layers = u.attribution!.layers!.slice(1))),
  'attribution-widths': editUpdate((u) => (u.attribution!.layers![0]!.scores = scoresBytes([1]))),
  'attribution-finite': editUpdate((u) => (u.attribution!.layers![0]!.scores = scoresBytes(new Array<number>(layerWidths(SMALL_MLP_SPEC)[0]!).fill(Infinity)))),
  'attribution-negative': editUpdate((u) => (u.attribution!.layers![0]!.scores = scoresBytes([-1, ...new Array<number>(layerWidths(SMALL_MLP_SPEC)[0]! - 1).fill(1)]))),
  'attribution-all-zero': editUpdate((u) => (u.attribution!.layers![0]!.scores = scoresBytes(new Array<number>(layerWidths(SMALL_MLP_SPEC)[0]!).fill(0)))),
};

describe('docs/protocol.md', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ rounds: 1, minClients: 5 });
  });
  after(async () => {
    await server.close();
  });

  test('every validation rule gives the documented code, and every rule has a probe', async () => {
    const rows = tableAfter('## Validation');
    assert.ok(rows.length >= 25, `${rows.length} rules`);
    const ids = rows.map((r) => r['id']!);
    assert.deepEqual([...ids].sort(), [...Object.keys(PROBES), ...Object.keys(SERVER_PROBES)].sort(), 'the rules and the probes are the same set');
    for (const row of rows) {
      const id = row['id']!;
      const documented = unquote(row['code']!);
      assert.ok((ERROR_CODES as readonly string[]).includes(documented), `${id}: "${documented}" is an error code`);
      const actual = id in PROBES ? codeOf(PROBES[id]!) : await SERVER_PROBES[id]!(server);
      assert.equal(actual, documented, `${id} (${row['rule']}): the code is ${actual}, the document says ${documented}`);
    }
    // The valid message the probes start from is accepted by the decoder and the admission check.
    assert.equal(codeOf(() => admit(decodeEnvelope(encodeEnvelope(UPDATE)) as ClientUpdate)), 'accepted');
    assert.equal(codeOf(() => checkLabelHistogram([1, 2, 3, 4], SMALL_MLP_SPEC)), 'accepted');
    // The numbers in the rules' text are the code's.
    assert.match(rows.find((r) => r['id'] === 'envelope-size')!['rule']!, new RegExp(`\\b${MAX_MESSAGE_BYTES}\\b`));
    assert.match(rows.find((r) => r['id'] === 'update-num-examples')!['rule']!, new RegExp(`\\[1, ${DEFAULT_RUN_SETTINGS.maxNumExamples}\\]`));
    assert.match(rows.find((r) => r['id'] === 'envelope-version')!['rule']!, new RegExp(`equals ${PROTOCOL_VERSION}$`));
  });

  test('the limits are the code\'s and the running server\'s', () => {
    const limits = new Map(tableAfter('## Limits').map((r) => [r['limit']!, r['value']!]));
    const expected: Record<string, string> = {
      'socket.io event': `\`${ENVELOPE_EVENT}\``,
      'protocol version': String(PROTOCOL_VERSION),
      'largest envelope, bytes': String(MAX_MESSAGE_BYTES),
      'largest socket.io frame, bytes': String((server.server.io.engine as unknown as { opts: { maxHttpBufferSize: number } }).opts.maxHttpBufferSize),
      'largest frame and HTTP header block before a client token, bytes': String(SERVER_OPTIONS.preAuthMaxBytes.default),
      'num_examples of an update, most': String(SERVER_OPTIONS.maxNumExamples.default),
      'client id': '1-64 of `A-Z a-z 0-9 . _ -`',
      'records of each kind per message': String(MAX_RECORDS_PER_KIND),
      'tensors per array record': String(MAX_TENSORS_PER_RECORD),
      'entries per config record': String(MAX_CONFIG_ENTRIES),
    };
    assert.deepEqual(Object.fromEntries(limits), expected);
    assert.equal(DEFAULT_RUN_SETTINGS.maxNumExamples, SERVER_OPTIONS.maxNumExamples.default);
    // The client id row, by behaviour.
    assert.ok(isValidClientId('a') && isValidClientId('A-z_0.9'.padEnd(64, 'x')));
    assert.ok(!isValidClientId('') && !isValidClientId('x'.repeat(65)) && !isValidClientId('a b') && !isValidClientId('é'));
  });

  test('every error code is documented with its enum value, and nothing else is', () => {
    const rows = tableAfter('## Error codes');
    const documented = new Map(rows.map((r) => [unquote(r['code']!), Number(r['enum value'])]));
    assert.deepEqual([...documented.keys()].sort(), [...ERROR_CODES].sort());
    const enumValues = fedfuse.v1.ErrorCode as unknown as Record<string, number>;
    for (const code of ERROR_CODES) assert.equal(documented.get(code), enumValues[`ERROR_CODE_${code.toUpperCase()}`], code);
  });

  test('the refused connections\' HTTP statuses map onto the documented codes', () => {
    const rows = tableAfter('## Connecting');
    assert.deepEqual(rows.map((r) => r['HTTP status']), ['401', '429', '503']);
    for (const row of rows) assert.equal(refusalCodeOfStatus(Number(row['HTTP status'])), unquote(row['code']!) as ErrorCode, row['HTTP status']);
  });

  test('the .proto has no auth_token field, and its comments name each rule\'s code at the field', () => {
    const proto = readFileSync(new URL('../proto/fedfuse.proto', import.meta.url), 'utf8');
    assert.match(proto, /reserved 2;\s*reserved "auth_token";/);
    assert.ok(!Object.hasOwn(fedfuse.v1.ClientHello.prototype, 'authToken'), 'the generated code has no auth_token');
    for (const row of tableAfter('## Validation')) {
      const message = row['message']!;
      const field = /^`([a-z_]+)/.exec(row['field']!)?.[1];
      if (message === 'any' || field === undefined) continue;
      const body = new RegExp(`\\nmessage ${message} \\{\\n([\\s\\S]*?)\\n\\}`).exec(proto)?.[1];
      assert.ok(body !== undefined, `message ${message} in the .proto`);
      const lines = body.split('\n');
      const at = lines.findIndex((l) => new RegExp(`\\s${field} = \\d+;`).test(l));
      assert.ok(at >= 0, `${message}.${field} in the .proto`);
      let comment = '';
      for (let i = at - 1; i >= 0 && lines[i]!.trim().startsWith('//'); i--) comment = `${lines[i]} ${comment}`;
      assert.ok(comment.includes(unquote(row['code']!)), `${row['id']}: the comment above ${message}.${field} names ${row['code']}`);
    }
  });
});
