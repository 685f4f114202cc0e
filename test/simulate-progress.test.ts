import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { chooseProgressMode, createProgressReporter, type SimulationEvent } from '../server/simulation/index.ts';

const LABEL = 'kf-linear (grad-x-act)';
const EVENTS: SimulationEvent[] = [
  { type: 'setup', message: 'mnist: 600 samples dealt to 3 clients' },
  { type: 'runStarted', label: LABEL, run: 1, runs: 2, rounds: 2, runId: 'r1', url: 'http://127.0.0.1:1' },
  { type: 'roundOpened', label: LABEL, round: 1, sampled: 3 },
  { type: 'phase', label: LABEL, round: 1, phase: 'training' },
  { type: 'clientTrained', label: LABEL, round: 1, clientId: 'client-0', seconds: 0.5, trained: 1, sampled: 3 },
  { type: 'updateAccepted', label: LABEL, round: 1, clientId: 'client-0', bytes: 52_000, received: 1, sampled: 3 },
  { type: 'clientTrained', label: LABEL, round: 1, clientId: 'client-1', seconds: 0.5, trained: 2, sampled: 3 },
  { type: 'clientTrained', label: LABEL, round: 1, clientId: 'client-2', seconds: 0.5, trained: 3, sampled: 3 },
  { type: 'phase', label: LABEL, round: 1, phase: 'uploading' },
  { type: 'updateAccepted', label: LABEL, round: 1, clientId: 'client-2', bytes: 52_000, received: 2, sampled: 3 },
  { type: 'phase', label: LABEL, round: 1, phase: 'fusing' },
  { type: 'roundCompleted', label: LABEL, round: 1, rounds: 2, accuracy: 0.5, ensembleAccuracy: 0.625, trainingModelAccuracy: null, fusionSeconds: 0.25, roundSeconds: 1.5 },
];

function capture(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 240 });
  stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

test('the progress mode: a live bar only on a terminal without --quiet/--json', () => {
  assert.equal(chooseProgressMode({ quiet: false, json: false }, capture(true).stream), 'live');
  assert.equal(chooseProgressMode({ quiet: false, json: false }, capture(false).stream), 'lines');
  assert.equal(chooseProgressMode({ quiet: true, json: false }, capture(true).stream), 'quiet');
  assert.equal(chooseProgressMode({ quiet: true, json: true }, capture(true).stream), 'json');
});

test('live display: run, round, clients trained/stored, phase and last accuracy; onEvent works passed on its own', async () => {
  const out = capture(true);
  const { onEvent, stop } = createProgressReporter('live', out.stream);
  for (const e of EVENTS) onEvent(e);
  // The bar redraws on a timer: give it one frame.
  await new Promise((resolve) => setTimeout(resolve, 250));
  stop();
  const text = out.text();
  assert.match(text, /fedfuse simulate: mnist: 600 samples dealt to 3 clients/);
  assert.match(text, /kf-linear \(grad-x-act\) \(1\/2\) \| round 1\/2 \|/);
  assert.match(text, /clients 3\/3 trained, 2\/3 stored \| fusing/);
  assert.match(text, /round 1\/2 done: accuracy 50\.0%, clients' ensemble 62\.5%/);
  assert.match(text, /last acc 50\.0% \| ETA \d+s/);
});

test('plain lines: one per event, round-level only with --quiet, JSON objects with --json', () => {
  const lines = capture(false);
  const reporter = createProgressReporter('lines', lines.stream);
  EVENTS.forEach(reporter.onEvent);
  const all = lines.text().trimEnd().split('\n');
  assert.equal(all.length, 10, lines.text());
  assert.equal(all[4], `[${LABEL}] round 1: client-0's update stored, 0.05 MB (1/3)`);

  const quiet = capture(false);
  EVENTS.forEach(createProgressReporter('quiet', quiet.stream).onEvent);
  assert.deepEqual(quiet.text().trimEnd().split('\n').slice(1), [
    `[${LABEL}] run 1/2 started: 2 rounds, server http://127.0.0.1:1, run id r1`,
    `[${LABEL}] round 1/2 done: accuracy 50.0%, clients' ensemble 62.5%, fusion 0.25 s, round 1.5 s`,
  ]);

  const json = capture(false);
  EVENTS.forEach(createProgressReporter('json', json.stream).onEvent);
  const parsed = json.text().trimEnd().split('\n').map((l) => JSON.parse(l) as SimulationEvent);
  assert.deepEqual(parsed.map((e) => e.type), EVENTS.map((e) => e.type));
});

test('a round line names the training model when the clients train from another model than the served one', () => {
  const base = EVENTS.find((e) => e.type === 'roundCompleted')!;
  const lines = capture(false);
  const reporter = createProgressReporter('quiet', lines.stream);
  reporter.onEvent({ ...base, accuracy: 0.75, ensembleAccuracy: 0.5, trainingModelAccuracy: 0.625 } as SimulationEvent);
  // The same model served and trained from (fedavg): no second figure.
  reporter.onEvent({ ...base, accuracy: 0.75, ensembleAccuracy: 0.5, trainingModelAccuracy: 0.75 } as SimulationEvent);
  const [first, second] = lines.text().trimEnd().split('\n');
  assert.equal(first, `[${LABEL}] round 1/2 done: accuracy 75.0%, training model 62.5%, clients' ensemble 50.0%, fusion 0.25 s, round 1.5 s`);
  assert.equal(second, `[${LABEL}] round 1/2 done: accuracy 75.0%, clients' ensemble 50.0%, fusion 0.25 s, round 1.5 s`);
});

// Regression: "1 rounds".
test('one round and one client are singular', () => {
  const lines = capture(false);
  const reporter = createProgressReporter('lines', lines.stream);
  reporter.onEvent({ type: 'runStarted', label: LABEL, run: 1, runs: 1, rounds: 1, runId: 'r1', url: 'http://127.0.0.1:1' });
  reporter.onEvent({ type: 'roundOpened', label: LABEL, round: 1, sampled: 1 });
  const text = lines.text();
  assert.match(text, /started: 1 round, server/);
  assert.match(text, /round 1: 1 client sampled, training/);
});
