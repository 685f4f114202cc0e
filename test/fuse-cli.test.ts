import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '../common/backend/index.ts';
import { loadDatasetSource, loadEmbeddedMnist, subset, writeNpy, type Dataset } from '../common/data/index.ts';
import { initNetwork, layerWidths, loadNetwork, mlpSpec, saveNetwork, type Network } from '../common/model/index.ts';
import { SeededRandom } from '../common/random/index.ts';
import { evaluateNetwork, trainNetwork } from '../common/training/index.ts';
import { ensembleProbabilities, type FusionReport } from '../server/fusion/index.ts';
import { parseAccuracyTable, runFuseProcess, type PrintedAccuracy } from './fuse-cli-fixtures.ts';
import { permutedCopy, randomGraphNetwork, randomInputs, residualBatchNormSpec } from './graph-model-fixtures.ts';
import { gaussianInputs, liveRandomNetwork, logitsOf, maxAbs, maxAbsDiff, permuteHiddenUnits, randomPermutations } from './fusion-fixtures.ts';

/**
 * `fedfuse fuse` end to end, as a child process: real files in a temp dir,
 * models written by saveNetwork and read back with loadNetwork, accuracies
 * checked against an independent evaluation in this process.
 */
let dir: string;
/** Three MNIST MLPs 784-24-10, each trained briefly on its own 300 digits. */
const mnistModels: string[] = [];
/** An MLP 12-10-8-3 and two copies with their hidden neurons permuted: the same function. */
const smallModels: string[] = [];
let smallOriginal: Network;
let smallCalibration: string;
let smallEvalImages: string;
let smallEvalLabels: string;

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'fedfuse-fuse-cli-'));
  await initBackend();
  const mnist = loadEmbeddedMnist();
  for (let k = 0; k < 3; k++) {
    // Digits from 5,000 on, so that none is in the mnist:1000 evaluation set below.
    const data = subset(mnist, Array.from({ length: 300 }, (_, i) => 5000 + 300 * k + i));
    const { network } = await trainNetwork(initNetwork(mlpSpec(784, [24], 10), 10 + k), data, {
      epochs: 2,
      batchSize: 32,
      learningRate: 2e-3,
      optimizer: 'adam',
      seed: k,
    });
    mnistModels.push((await saveNetwork(network, path.join(dir, `mnist-${k}`))).modelJsonPath);
  }

  const spec = mlpSpec(12, [10, 8], 3);
  // More calibration rows than any layer has inputs, so least squares pins the weights down exactly.
  const calibration = gaussianInputs(spec, 200, 1);
  smallOriginal = await liveRandomNetwork(spec, 2, calibration);
  const random = new SeededRandom(3);
  for (let k = 0; k < 3; k++) {
    const net = k === 0 ? smallOriginal : permuteHiddenUnits(smallOriginal, randomPermutations(spec, random));
    smallModels.push((await saveNetwork(net, path.join(dir, `small-${k}`))).modelJsonPath);
  }
  smallCalibration = path.join(dir, 'small-calibration.npy');
  writeNpy(smallCalibration, calibration, [200, 12]);
  smallEvalImages = path.join(dir, 'small-eval-images.npy');
  smallEvalLabels = path.join(dir, 'small-eval-labels.npy');
  writeNpy(smallEvalImages, gaussianInputs(spec, 150, 4), [150, 12]);
  writeNpy(smallEvalLabels, Int32Array.from({ length: 150 }, () => random.int(3)), [150]);
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function correctCount(net: Network, ds: Dataset): Promise<number> {
  return Math.round((await evaluateNetwork(net, ds.images, ds.labels, ds.count)).accuracy * ds.count);
}

/** The ensemble's correct predictions, computed here from the probabilities (not with the CLI's helper). */
async function ensembleCorrect(parents: Network[], ds: Dataset): Promise<number> {
  const p = await ensembleProbabilities(parents, ds.images);
  let correct = 0;
  for (let i = 0; i < ds.count; i++) {
    const row = Array.from(p.subarray(i * 10, i * 10 + 10));
    if (row.indexOf(Math.max(...row)) === ds.labels[i]) correct++;
  }
  return correct;
}

function row(rows: readonly PrintedAccuracy[], model: string): PrintedAccuracy {
  const found = rows.find((r) => r.model === model);
  assert.ok(found !== undefined, `no row "${model}" in ${JSON.stringify(rows)}`);
  return found;
}

describe('fedfuse fuse', () => {
  test('kf-linear of three MNIST models into a wider model: files load, widths, printed accuracies match an independent evaluation', async () => {
    const out = path.join(dir, 'out-kf');
    const run = await runFuseProcess([
      '--model', mnistModels[0]!,
      '--model', path.dirname(mnistModels[1]!), // a folder stands for its model.json
      '--model', mnistModels[2]!,
      '--calibration', 'mnist:400',
      '--method', 'kf-linear',
      '--widths', '40',
      '--seed', '3',
      '--out', out,
      '--eval', 'mnist:1000',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^fusion time \d+\.\d{3} s$/m);
    const fused = await loadNetwork(path.join(out, 'model.json'));
    assert.deepEqual(layerWidths(fused.spec), [40, 10]);
    assert.deepEqual(fused.layers[0]!.kernelShape, [784, 40]);

    const evalSet = loadDatasetSource('mnist:1000');
    const parents = await Promise.all(mnistModels.map((m) => loadNetwork(m)));
    const rows = parseAccuracyTable(run.stdout);
    assert.equal(rows.length, 5, run.stdout);
    for (const [k, parent] of parents.entries()) {
      const expected = await correctCount(parent, evalSet);
      assert.equal(row(rows, `parent ${k}`).correct, expected, `parent ${k}`);
      assert.equal(row(rows, `parent ${k}`).percent, ((100 * expected) / 1000).toFixed(2));
    }
    assert.equal(row(rows, 'fused (kf-linear)').correct, await correctCount(fused, evalSet));
    assert.equal(row(rows, 'ensemble of the 3 parents').correct, await ensembleCorrect(parents, evalSet));
    for (const r of rows) assert.equal(r.count, 1000);
  });

  for (const [method, count] of [['kf-linear', 3], ['hf', 2], ['kf-gradient', 2], ['ot-fusion', 3], ['weight-matching', 3]] as const) {
    test(`${method} of ${count} permuted copies of one model gives back its function (.npy calibration and evaluation)`, async () => {
      const out = path.join(dir, `out-permuted-${method}`);
      const run = await runFuseProcess([
        ...smallModels.slice(0, count).flatMap((m) => ['--model', m]),
        '--calibration', smallCalibration,
        '--method', method,
        '--out', out,
        '--eval', smallEvalImages,
        '--eval-labels', smallEvalLabels,
      ]);
      assert.equal(run.code, 0, run.stderr);
      const fused = await loadNetwork(path.join(out, 'model.json'));
      assert.deepEqual(layerWidths(fused.spec), [10, 8, 3]);
      const fresh = gaussianInputs(smallOriginal.spec, 64, 5);
      const expected = await logitsOf(smallOriginal, fresh);
      const diff = maxAbsDiff(await logitsOf(fused, fresh), expected);
      assert.ok(diff < 1e-3, `max |Δ logits| = ${diff} (logits up to ${maxAbs(expected)})`);
      const rows = parseAccuracyTable(run.stdout);
      assert.equal(row(rows, `fused (${method})`).correct, row(rows, 'parent 0').correct);
      assert.equal(row(rows, 'ensemble of the ' + count + ' parents').correct, row(rows, 'parent 0').correct);
    });
  }

  test('kf-linear of a functional residual BatchNorm model and a permuted copy: the written model.json loads and computes the same function', async () => {
    const net = randomGraphNetwork(residualBatchNormSpec(4), 3);
    const files = await Promise.all([net, permutedCopy(net, 4)].map(async (n, k) => (await saveNetwork(n, path.join(dir, `residual-${k}`))).modelJsonPath));
    const calibration = path.join(dir, 'residual-calibration.npy');
    writeNpy(calibration, randomInputs(net.spec, 120, 5), [120, 8, 8, 1]);
    const out = path.join(dir, 'out-residual');
    const run = await runFuseProcess([...files.flatMap((f) => ['--model', f]), '--calibration', calibration, '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    const fused = await loadNetwork(path.join(out, 'model.json'));
    assert.deepEqual(fused.spec, net.spec);
    const fresh = randomInputs(net.spec, 16, 6);
    const diff = maxAbsDiff(await logitsOf(fused, fresh), await logitsOf(net, fresh));
    assert.ok(diff < 1e-3, `max |Δ logits| = ${diff}`);
  });

  test('fedavg weighs the parameters by --examples, and equally without it', async () => {
    const [a, b] = await Promise.all(mnistModels.slice(0, 2).map((m) => loadNetwork(m)));
    const [weighted, equal] = await Promise.all([
      runFuseProcess(['--model', mnistModels[0]!, '--model', mnistModels[1]!, '--method', 'fedavg', '--examples', '100,300', '--out', path.join(dir, 'out-fedavg')]),
      runFuseProcess(['--model', mnistModels[0]!, '--model', mnistModels[1]!, '--method', 'fedavg', '--out', path.join(dir, 'out-fedavg-equal')]),
    ]);
    assert.equal(weighted.code, 0, weighted.stderr);
    assert.equal(equal.code, 0, equal.stderr);
    const cases = [
      { dir: 'out-fedavg', wa: 0.25, wb: 0.75 },
      { dir: 'out-fedavg-equal', wa: 0.5, wb: 0.5 },
    ];
    for (const { dir: sub, wa, wb } of cases) {
      const fused = await loadNetwork(path.join(dir, sub, 'model.json'));
      fused.layers.forEach((layer, l) => {
        const expected = a!.layers[l]!.kernel.map((v, i) => wa * v + wb * b!.layers[l]!.kernel[i]!);
        assert.ok(maxAbsDiff(layer.kernel, expected) < 1e-6, `${sub} layer ${l}`);
      });
    }
  });

  test('--neuron-fusion federated: a model other than the paper\'s from the same inputs, and the report has the output calibration', async () => {
    // Permuted copies: the paper's settings give back the original function exactly (test above), so any
    // difference comes from the federated settings (index-started grouping, class consensus, scale, prior).
    const models = smallModels.slice(0, 2).flatMap((m) => ['--model', m]);
    const common = [...models, '--calibration', smallCalibration, '--method', 'kf-linear'];
    const outOf = (name: string): { out: string; report: string } => ({ out: path.join(dir, `out-nf-${name}`), report: path.join(dir, `report-nf-${name}.json`) });
    const paper = outOf('paper');
    const federated = outOf('federated');
    const noExamples = outOf('federated-no-examples');
    const runs = await Promise.all([
      runFuseProcess([...common, '--out', paper.out, '--report', paper.report]),
      runFuseProcess([...common, '--neuron-fusion', 'federated', '--examples', '100,300', '--out', federated.out, '--report', federated.report]),
      runFuseProcess([...common, '--neuron-fusion', 'federated', '--out', noExamples.out, '--report', noExamples.report]),
    ]);
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    assert.match(runs[0]!.stdout, /with kf-linear \(paper settings\)/);
    assert.match(runs[1]!.stdout, /with kf-linear \(federated settings\)/);
    assert.match(runs[1]!.stdout, /^ {2}output layer: logits scaled by \d+\.\d{3} .*class prior matched/m);

    const fresh = gaussianInputs(smallOriginal.spec, 64, 6);
    const paperLogits = await logitsOf(await loadNetwork(path.join(paper.out, 'model.json')), fresh);
    const federatedLogits = await logitsOf(await loadNetwork(path.join(federated.out, 'model.json')), fresh);
    const diff = maxAbsDiff(federatedLogits, paperLogits);
    assert.ok(diff > 1e-2, `federated and paper fused models agree to ${diff} (logits up to ${maxAbs(paperLogits)})`);

    const readReport = (file: string): FusionReport => JSON.parse(readFileSync(file, 'utf8')) as FusionReport;
    assert.equal(readReport(paper.report).outputCalibration, undefined);
    const calibrated = readReport(federated.report).outputCalibration;
    assert.ok(calibrated !== undefined, 'federated report lacks outputCalibration');
    assert.equal(calibrated.scaleSkipped, null);
    assert.ok(Number.isFinite(calibrated.scale) && calibrated.scale > 0, `scale ${calibrated.scale}`);
    assert.ok(calibrated.priorMatching !== null);
    // Without --examples the fusion still runs; only the FedAvg scale is skipped, and the report says why.
    assert.match(readReport(noExamples.report).outputCalibration?.scaleSkipped ?? '', /numExamples/);
  });

  test('--help explains every option', async () => {
    const run = await runFuseProcess(['--help']);
    assert.equal(run.code, 0);
    for (const flag of ['--model', '--calibration', '--method', '--importance', '--neuron-fusion', '--widths', '--seed', '--examples', '--out', '--eval ', '--eval-labels', '--report']) {
      assert.ok(run.stdout.includes(flag), `help lacks ${flag}:\n${run.stdout}`);
    }
    for (const word of ['kf-linear', 'hf', 'fedavg', 'average', 'uniform', 'activation', 'paper', 'federated', 'mnist', '.npy']) assert.ok(run.stdout.includes(word), `help lacks ${word}`);
    assert.ok(!existsSync(path.join(dir, 'model.json')));
  });
});
