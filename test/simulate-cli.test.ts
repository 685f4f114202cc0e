import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openRoundStore } from '../server/store/index.ts';
import type { SimulationResults } from '../server/simulation/index.ts';
import { DETERMINISM_TOLERANCE, runCliInProcessExpectingFailure, runCliProcess, TINY_EXPERIMENT } from './simulate-fixtures.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'fedfuse-simulate-test-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

function readResults(dir: string): SimulationResults {
  return JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as SimulationResults;
}

let first: SimulationResults | null = null;
let seed8: SimulationResults | null = null;

test('compare: 3 clients x 2 rounds per aggregator, results.json and both plots, numbers as the server stored them, identical partitions for every arm', { timeout: 90_000 }, async () => {
  const out = path.join(tmp, 'first');
  const run = await runCliProcess(['compare', 'kf-linear:grad-x-act', 'fedavg', ...TINY_EXPERIMENT, '--seed', '7', '--share-histograms', '--out', out, '--json']);
  assert.equal(run.code, 0, run.stderr);

  // --json: stdout is exactly results.json; stderr one JSON event per line.
  const results = readResults(out);
  assert.deepEqual(JSON.parse(run.stdout), results);
  const events = run.stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { type: string; label?: string });
  assert.equal(events.filter((e) => e.type === 'roundCompleted').length, 4);
  assert.ok(events.some((e) => e.type === 'clientTrained'));

  assert.match(readFileSync(path.join(out, 'accuracy.svg'), 'utf8'), /^<svg[^>]*>/);
  assert.deepEqual([...readFileSync(path.join(out, 'accuracy.png')).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(results.files.database, path.join(out, 'fedfuse.sqlite'));
  assert.deepEqual(results.runs.map((r) => r.label), ['kf-linear (grad-x-act)', 'fedavg']);
  assert.equal(results.data.clients.length, 3);
  assert.equal(results.runs[0]!.importance, 'grad-x-act');

  const store = openRoundStore(path.join(out, 'fedfuse.sqlite'), { readonly: true });
  try {
    for (const r of results.runs) {
      assert.equal(store.getRun(r.runId)?.state, 'finished');
      const evaluations = store.listEvaluations(r.runId);
      assert.deepEqual(evaluations.map((e) => e.round), [0, 1, 2]);
      assert.equal(r.initialAccuracy, evaluations[0]!.accuracy);
      assert.deepEqual(
        r.rounds.map((x) => [x.round, x.accuracy, x.loss, x.ensembleAccuracy]),
        evaluations.slice(1).map((e) => [e.round, e.accuracy, e.loss, (e.extra as { ensembleAccuracy: number }).ensembleAccuracy]),
      );
      const rounds = store.listRounds(r.runId);
      assert.deepEqual(rounds.map((x) => x.aggregator), [r.method, r.method]);
      assert.deepEqual(r.rounds.map((x) => x.fusionSeconds), rounds.map((x) => x.fusionSeconds));
      assert.deepEqual(r.rounds.map((x) => x.participants), [3, 3]);
      assert.ok(r.bytes.up > 0 && r.bytes.down > 0);
    }
    // The arms differ only in aggregation: round 1 starts from the same model with the same data and seeds,
    // so every client uploads the very same weights in both runs.
    const [a, b] = results.runs;
    for (const client of results.data.clients) {
      const ua = store.getUpdate(a!.runId, 1, client.clientId)!;
      const ub = store.getUpdate(b!.runId, 1, client.clientId)!;
      assert.ok(Buffer.from(ua.model).equals(Buffer.from(ub.model)), `${client.clientId}'s round-1 model differs between the arms`);
    }
    assert.equal(a!.rounds[0]!.ensembleAccuracy, b!.rounds[0]!.ensembleAccuracy);
    assert.equal(a!.initialAccuracy, b!.initialAccuracy);
    // --share-histograms: each client told the server its label histogram, and kf-linear fused with them.
    for (const client of results.data.clients) {
      const histogram = store.getClient(client.clientId)?.labelHistogram;
      assert.deepEqual(histogram, client.labelHistogram);
    }
    const fusedRound = store.listRounds(a!.runId)[0]!;
    assert.equal((fusedRound.metrics as { aggregation: { classEvidence?: string } }).aggregation.classEvidence, 'label-histograms');
  } finally {
    store.close();
  }
  first = results;
});

test('the same seed gives the same partitions and first-round accuracies; another seed gives other partitions', { timeout: 180_000 }, async () => {
  assert.ok(first !== null, 'needs the first test');
  const out = path.join(tmp, 'again');
  const again = await runCliProcess(['simulate', '--aggregator', 'kf-linear:grad-x-act,fedavg', ...TINY_EXPERIMENT, '--seed', '7', '--share-histograms', '--out', out, '--quiet']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /Summary \(mnist, dirichlet:0\.5, 3 clients, mlp:16\)/);
  assert.ok(again.stdout.includes(`results: ${path.join(out, 'results.json')}`));
  const results = readResults(out);
  assert.equal(results.data.partitionFingerprint, first.data.partitionFingerprint);
  assert.equal(results.data.initialModelFingerprint, first.data.initialModelFingerprint);
  assert.deepEqual(results.data.clients, first.data.clients);
  results.runs.forEach((r, i) => {
    const before = first!.runs[i]!.rounds[0]!;
    const now = r.rounds[0]!;
    assert.ok(Math.abs(now.accuracy! - before.accuracy!) <= DETERMINISM_TOLERANCE, `${r.label}: round-1 accuracy ${now.accuracy} vs ${before.accuracy}`);
    assert.ok(Math.abs(now.ensembleAccuracy! - before.ensembleAccuracy!) <= DETERMINISM_TOLERANCE);
  });

  const other = path.join(tmp, 'other-seed');
  // KF-gradient here, so that it is selectable end to end: simulate -> real server -> fusion worker.
  const run = await runCliProcess(['simulate', '--aggregator', 'kf-gradient:uniform', '--aggregator', 'fedavg', ...TINY_EXPERIMENT, '--rounds', '1', '--seed', '8', '--out', other, '--quiet']);
  assert.equal(run.code, 0, run.stderr);
  const otherResults = readResults(other);
  assert.notEqual(otherResults.data.partitionFingerprint, first.data.partitionFingerprint);
  const kfGradient = otherResults.runs.find((r) => r.label === 'kf-gradient (uniform)')!;
  assert.equal(kfGradient.rounds.length, 1);
  // One tiny round: every arm is near 18 % here (measured: kf-linear 17.3, kf-gradient 17.7, fedavg 19.7); above chance.
  assert.ok(kfGradient.rounds[0]!.accuracy! > 0.1, `kf-gradient round accuracy ${kfGradient.rounds[0]!.accuracy}`);
  seed8 = otherResults;
});

test('--seeds 7,8 gives each seed the numbers of a separate run with it; the CSV parses back to the table', { timeout: 90_000 }, async () => {
  assert.ok(first !== null && seed8 !== null, 'needs the runs with --seed 7 and --seed 8');
  const out = path.join(tmp, 'seeds');
  const csv = path.join(out, 'rows.csv');
  const run = await runCliProcess(['simulate', '--aggregator', 'fedavg', ...TINY_EXPERIMENT, '--rounds', '1', '--seeds', '7,8', '--out', out, '--csv', csv, '--quiet']);
  assert.equal(run.code, 0, run.stderr);
  const results = readResults(out);
  assert.deepEqual(results.seeds, [7, 8]);
  assert.deepEqual(results.runs.map((r) => [r.label, r.seed]), [['fedavg', 7], ['fedavg', 8]]);
  // Each seed's pass is the separate run with that seed: same partitions, same numbers.
  const separate = { 7: first.runs.find((r) => r.label === 'fedavg')!, 8: seed8.runs.find((r) => r.label === 'fedavg')! };
  assert.deepEqual(results.data.perSeed.map((p) => p.partitionFingerprint), [first.data.partitionFingerprint, seed8.data.partitionFingerprint]);
  for (const r of results.runs) {
    const alone = separate[r.seed as 7 | 8];
    assert.ok(Math.abs(r.initialAccuracy! - alone.initialAccuracy!) <= DETERMINISM_TOLERANCE, `seed ${r.seed}: initial accuracy`);
    assert.ok(Math.abs(r.rounds[0]!.accuracy! - alone.rounds[0]!.accuracy!) <= DETERMINISM_TOLERANCE, `seed ${r.seed}: ${r.rounds[0]!.accuracy} vs ${alone.rounds[0]!.accuracy}`);
    assert.ok(Math.abs(r.rounds[0]!.loss! - alone.rounds[0]!.loss!) <= DETERMINISM_TOLERANCE);
    // Per-client metrics of the round, as the clients reported them.
    assert.equal(r.rounds[0]!.clients.length, 3);
    assert.deepEqual(r.rounds[0]!.clients.map((c) => c.examples).sort(), alone.rounds[0]!.clients.map((c) => c.examples).sort());
    for (const c of r.rounds[0]!.clients) assert.ok(c.loss !== null && c.accuracy !== null && c.trainSeconds > 0 && c.localSteps! > 0);
  }
  // The table shows mean ± std over the two seeds...
  const [a7, a8] = [results.runs[0]!.rounds[0]!.accuracy!, results.runs[1]!.rounds[0]!.accuracy!];
  const mean = (a7 + a8) / 2;
  const std = Math.abs(a7 - a8) / Math.SQRT2;
  assert.ok(run.stdout.includes(`${(mean * 100).toFixed(1)} ± ${(std * 100).toFixed(1)}%`), run.stdout);
  // ... and the CSV, parsed back, gives the same table.
  const rows = parseCsv(readFileSync(csv, 'utf8'));
  assert.deepEqual(rows[0], ['arm', 'aggregator', 'seed', 'round', 'accuracy', 'loss', 'ensemble_accuracy', 'training_model_accuracy', 'participants', 'examples', 'fusion_seconds', 'round_seconds', 'training_critical_seconds']);
  const body = rows.slice(1).map((r) => Object.fromEntries(rows[0]!.map((k, i) => [k, r[i]!])));
  assert.equal(body.length, 2 * 2, 'rounds 0 and 1 for each seed');
  for (const arm of results.arms) {
    for (const round of arm.rounds) {
      const values = body.filter((b) => b['arm'] === arm.label && Number(b['round']) === round.round).map((b) => Number(b['accuracy']));
      const m = values.reduce((x, y) => x + y, 0) / values.length;
      const sd = Math.sqrt(values.reduce((x, v) => x + (v - m) ** 2, 0) / (values.length - 1));
      assert.ok(Math.abs(m - round.accuracy.mean!) < 1e-12 && Math.abs(sd - round.accuracy.std!) < 1e-12, `round ${round.round}`);
      assert.ok(run.stdout.includes(`${(m * 100).toFixed(1)} ± ${(sd * 100).toFixed(1)}%`), `round ${round.round} in the table`);
    }
  }
  assert.ok(results.command.includes('--seeds') && results.command.includes('7,8'));
});

/** RFC 4180 rows: quoted fields may hold commas and doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.trimEnd().split('\n')) {
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') (field += '"'), i++;
        else if (ch === '"') quoted = false;
        else field += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') (fields.push(field), (field = ''));
      else field += ch;
    }
    fields.push(field);
    rows.push(fields);
  }
  return rows;
}

const BAD_OPTIONS: ReadonlyArray<{ readonly args: readonly string[]; readonly message: RegExp }> = [
  { args: ['simulate', '--aggregator', 'fedmagic'], message: /unknown aggregator 'fedmagic'; expected one of kf-linear, kf-gradient, hf, fedavg, average, fedprox, fedavg-prior, scaffold, feddf, fednova/ },
  { args: ['simulate', '--seeds', '1,1'], message: /--seeds lists a seed twice/ },
  { args: ['simulate', '--seeds', '1,2', '--seed', '3'], message: /give --seed or --seeds, not both/ },
  { args: ['simulate', '--train-from', 'fused'], message: /--train-from must be served or average, got 'fused'/ },
  { args: ['simulate', '--start-model-parent', 'maybe'], message: /--start-model-parent must be on or off, got 'maybe'/ },
  { args: ['simulate', '--calibration-from', 'validation'], message: /--calibration-from must be train or test, got 'validation'/ },
  { args: ['compare', '--all', 'fedavg'], message: /compare --all runs every aggregator/ },
  { args: ['simulate', '--partition', 'dirichlet:0'], message: /alpha must be a finite number > 0, got 0/ },
  { args: ['simulate', '--partition', 'dirichlet:-0.5'], message: /alpha must be a finite number > 0, got -0\.5/ },
  { args: ['simulate', '--clients', '50', '--client-samples', '20'], message: /cannot give 50 clients at least one sample each from 20 samples/ },
  { args: ['simulate', '--dataset', 'fashion-mnist', '--fashion-mnist-dir', '/nonexistent/fashion-mnist'], message: /Fashion-MNIST not found in \/nonexistent\/fashion-mnist: install it with `apt-get install dataset-fashion-mnist`/ },
  { args: ['simulate', '--aggregator', 'hf'], message: /hf fuses exactly 2 models, but 10 clients are sampled per round/ },
  { args: ['simulate', '--rounds', '0'], message: /--rounds must be an integer >= 1, got '0'/ },
  { args: ['simulate', '--partition', 'split-by-8', '--clients', '10'], message: /splits the data into 8 clients, but --clients is 10/ },
  { args: ['compare', 'kf-linear'], message: /compare needs at least two aggregators, got 1/ },
  { args: ['simulate', '--neuron-fusion', 'magic'], message: /--neuron-fusion must be federated or paper, got 'magic'/ },
];

for (const { args, message } of BAD_OPTIONS) {
  test(`bad options: ${args.join(' ')} -> one line, exit 2, nothing written`, async () => {
    const out = path.join(tmp, `bad-${args.join('-').replace(/[^a-z0-9-]/gi, '_')}`);
    const { code, stderr } = await runCliInProcessExpectingFailure([...args, '--out', out]);
    assert.equal(code, 2);
    const lines = stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, stderr);
    assert.match(lines[0]!, /^fedfuse: error \(invalid_argument\): /);
    assert.match(lines[0]!, message);
    assert.equal(existsSync(out), false, 'a refused experiment writes nothing');
  });
}

test('bad options through the real binary: missing Fashion-MNIST exits 2 with the install hint', { timeout: 60_000 }, async () => {
  const run = await runCliProcess(['simulate', '--dataset', 'fashion-mnist', '--fashion-mnist-dir', path.join(tmp, 'no-such-dir'), '--quiet']);
  assert.equal(run.code, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr.trimEnd(), /^fedfuse: error \(invalid_argument\): Fashion-MNIST not found in .*no-such-dir: install it with `apt-get install dataset-fashion-mnist`/);
});

// Regression: --out under a file ended in a stack trace.
test('simulate --out under a file is one line, exit 2, no stack', async () => {
  const file = path.join(tmp, 'a-file');
  writeFileSync(file, 'not a directory');
  const { code, stderr } = await runCliInProcessExpectingFailure(['simulate', '--rounds', '1', '--out', path.join(file, 'results')]);
  assert.equal(code, 2);
  assert.equal(stderr.trimEnd().split('\n').length, 1, stderr);
  assert.match(stderr, /^fedfuse: error \(invalid_argument\): --out .*a-file\/results: cannot make the directory \(ENOTDIR: a file is in the way, or no permission\)\n$/);
});
