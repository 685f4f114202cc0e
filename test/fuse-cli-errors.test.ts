import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeNpy } from '../common/data/index.ts';
import { initNetwork, mlpSpec, saveNetwork, smallCnnSpec } from '../common/model/index.ts';
import { runFuseInProcessExpectingFailure, runFuseProcess } from './fuse-cli-fixtures.ts';

/**
 * Every input mistake of `fedfuse fuse` ends with exit code 2 and exactly one
 * line on stderr naming the problem, before any output is written. The cases
 * run in-process through main() (fast); one also runs as a real process to
 * check the exit code the shell sees.
 */
let dir: string;
const m: Record<string, string> = {};
let out: string;

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'fedfuse-fuse-cli-errors-'));
  out = path.join(dir, 'out');
  const save = async (name: string, spec: Parameters<typeof initNetwork>[0], seed: number): Promise<void> => {
    m[name] = (await saveNetwork(initNetwork(spec, seed), path.join(dir, name))).modelJsonPath;
  };
  await save('a', mlpSpec(784, [16], 10), 1);
  await save('b', mlpSpec(784, [16], 10), 2);
  await save('c', mlpSpec(784, [16], 10), 3);
  await save('narrow', mlpSpec(784, [8], 10), 4);
  await save('deep', mlpSpec(784, [16, 12], 10), 5);
  await save('otherInput', mlpSpec(100, [16], 10), 6);
  await save('cnnFirst', smallCnnSpec([28, 28, 1], [4], 10), 7);
  mkdirSync(path.join(dir, 'lstm'));
  const lstm = { class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'LSTM', config: { name: 'lstm_1', units: 4, batch_input_shape: [null, 5, 3] } }, { class_name: 'Dense', config: { name: 'd', units: 2 } }] } };
  writeFileSync(path.join(dir, 'lstm', 'model.json'), JSON.stringify({ modelTopology: lstm, format: 'layers-model', weightsManifest: [] }));
  m['lstm'] = path.join(dir, 'lstm', 'model.json');
  writeNpy(path.join(dir, 'cal-12.npy'), new Float32Array(40 * 12), [40, 12]);
  // Same number of values as a 28x28x1 image, channels first.
  writeNpy(path.join(dir, 'cal-chw.npy'), new Float32Array(10 * 784), [10, 1, 28, 28]);
  writeNpy(path.join(dir, 'eval-images.npy'), new Float32Array(5 * 784), [5, 784]);
  writeNpy(path.join(dir, 'eval-labels-big.npy'), Int32Array.from([0, 1, 2, 3, 12]), [5]);
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface ErrorCase {
  readonly name: string;
  readonly args: () => string[];
  readonly code: string;
  readonly message: RegExp;
}

const two = (): string[] => ['--model', m['a']!, '--model', m['b']!];

const CASES: readonly ErrorCase[] = [
  { name: 'no --model at all', args: () => ['--calibration', 'mnist:50', '--out', out], code: 'invalid_argument', message: /at least one --model/ },
  { name: 'a --model file that does not exist', args: () => ['--model', m['a']!, '--model', path.join(dir, 'nope', 'model.json'), '--calibration', 'mnist:50', '--out', out], code: 'invalid_argument', message: /nope.*no such file/ },
  { name: 'a --model that is not a model.json', args: () => ['--model', path.join(dir, 'cal-12.npy'), '--calibration', 'mnist:50', '--out', out], code: 'invalid_argument', message: /--model .*cal-12\.npy \(parent 0\): .*not valid JSON/ },
  { name: 'a model with an unsupported layer (LSTM)', args: () => ['--model', m['lstm']!, '--model', m['a']!, '--calibration', 'mnist:50', '--out', out], code: 'invalid_argument', message: /layer "lstm_1" \(LSTM\): layer type LSTM is not supported \(supported: InputLayer, Dense, Conv2D, DepthwiseConv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, Flatten, Reshape, BatchNormalization, Dropout, Activation, ReLU, Softmax, Add\)/ },
  { name: 'mismatched architectures (extra hidden layer)', args: () => ['--model', m['a']!, '--model', m['deep']!, '--calibration', 'mnist:50', '--out', out], code: 'shape_mismatch', message: /parent 1 \(.*deep.*\) does not have the layer structure of parent 0: .*layers.*\(parent 0 is .*a\/model\.json\)/ },
  { name: 'mismatched architectures (different input size)', args: () => ['--model', m['a']!, '--model', m['otherInput']!, '--calibration', 'mnist:50', '--out', out], code: 'shape_mismatch', message: /input shape \[100\] vs \[784\]/ },
  { name: 'calibration samples of the wrong size', args: () => [...two(), '--calibration', path.join(dir, 'cal-12.npy'), '--out', out], code: 'shape_mismatch', message: /--calibration .*cal-12\.npy samples have shape \[12\] \(12 values\), the models take inputs of shape \[784\]/ },
  { name: 'calibration images channels-first for a channels-last CNN', args: () => ['--model', m['cnnFirst']!, '--calibration', path.join(dir, 'cal-chw.npy'), '--out', out], code: 'shape_mismatch', message: /shape \[1, 28, 28\], the models take \[28, 28, 1\]/ },
  { name: 'a calibration file that does not exist', args: () => [...two(), '--calibration', path.join(dir, 'missing.npy'), '--out', out], code: 'invalid_argument', message: /--calibration .*missing\.npy: no such file/ },
  { name: 'an unknown calibration data set', args: () => [...two(), '--calibration', 'cifar-10', '--out', out], code: 'invalid_argument', message: /--calibration cifar-10: unknown data set/ },
  { name: 'kf-linear without --calibration', args: () => [...two(), '--out', out], code: 'invalid_argument', message: /kf-linear needs --calibration/ },
  { name: 'hf with 3 models', args: () => [...two(), '--model', m['c']!, '--method', 'hf', '--calibration', 'mnist:50', '--out', out], code: 'invalid_argument', message: /hf fuses exactly 2 models, got 3/ },
  { name: 'hf with 1 model', args: () => ['--model', m['a']!, '--method', 'hf', '--calibration', 'mnist:50', '--out', out], code: 'invalid_argument', message: /hf fuses exactly 2 models, got 1/ },
  { name: 'hf with different widths', args: () => ['--model', m['a']!, '--model', m['narrow']!, '--method', 'hf', '--calibration', 'mnist:50', '--out', out], code: 'shape_mismatch', message: /hf needs parents with equal hidden widths/ },
  { name: 'fedavg with a count per model missing', args: () => [...two(), '--model', m['c']!, '--method', 'fedavg', '--examples', '10,20', '--out', out], code: 'invalid_argument', message: /--examples has 2 counts for 3 models/ },
  { name: 'fedavg with counts that are not integers', args: () => [...two(), '--method', 'fedavg', '--examples', '10,abc', '--out', out], code: 'invalid_argument', message: /--examples "10,abc" must be integers/ },
  { name: 'fedavg with all counts 0', args: () => [...two(), '--method', 'fedavg', '--examples', '0,0', '--out', out], code: 'invalid_argument', message: /must not all be 0/ },
  { name: '--examples with kf-linear (paper settings, the default)', args: () => [...two(), '--examples', '1,2', '--calibration', 'mnist:50', '--out', out], code: 'invalid_argument', message: /--examples applies to fedavg and to kf-linear\/kf-gradient\/hf with --neuron-fusion federated, not kf-linear with --neuron-fusion paper/ },
  { name: '--examples with average', args: () => [...two(), '--method', 'average', '--examples', '1,2', '--out', out], code: 'invalid_argument', message: /--examples applies to fedavg and to kf-linear\/kf-gradient\/hf with --neuron-fusion federated, not average$/ },
  { name: '--examples with a count per model missing, federated kf-linear', args: () => [...two(), '--neuron-fusion', 'federated', '--examples', '10', '--calibration', 'mnist:50', '--out', out], code: 'invalid_argument', message: /--examples has 1 counts for 2 models/ },
  { name: 'an unknown --neuron-fusion', args: () => [...two(), '--neuron-fusion', 'fedprox', '--calibration', 'mnist:50', '--out', out], code: 'invalid_argument', message: /unknown --neuron-fusion "fedprox": use federated or paper/ },
  { name: '--neuron-fusion with fedavg', args: () => [...two(), '--method', 'fedavg', '--neuron-fusion', 'federated', '--out', out], code: 'invalid_argument', message: /--neuron-fusion applies to kf-linear, kf-gradient and hf, not fedavg/ },
  { name: '--neuron-fusion with average', args: () => [...two(), '--method', 'average', '--neuron-fusion', 'paper', '--out', out], code: 'invalid_argument', message: /--neuron-fusion applies to kf-linear, kf-gradient and hf, not average/ },
  { name: 'an unknown method', args: () => [...two(), '--method', 'otfusion', '--out', out], code: 'invalid_argument', message: /unknown --method "otfusion"/ },
  { name: '--importance for a parameter mean', args: () => [...two(), '--method', 'average', '--importance', 'activation', '--out', out], code: 'invalid_argument', message: /--importance applies to kf-linear, kf-gradient and hf/ },
  { name: '--widths with the wrong number of layers', args: () => [...two(), '--widths', '32,16', '--calibration', 'mnist:50', '--out', out], code: 'invalid_argument', message: /--widths lists 2 width\(s\) but the models have 1 hidden/ },
  { name: '--widths beyond the parents\' neurons', args: () => [...two(), '--widths', '33', '--calibration', 'mnist:50', '--out', out], code: 'invalid_argument', message: /--widths: 33 neurons at hidden layer 0 exceeds the 32 neurons/ },
  { name: '--widths for fedavg', args: () => [...two(), '--method', 'fedavg', '--widths', '20', '--out', out], code: 'invalid_argument', message: /only kf-linear and kf-gradient fuse into other widths/ },
  { name: 'no --out', args: () => [...two(), '--calibration', 'mnist:50'], code: 'invalid_argument', message: /--out <dir> is required/ },
  { name: '--out is a file', args: () => [...two(), '--calibration', 'mnist:50', '--out', path.join(dir, 'cal-12.npy')], code: 'invalid_argument', message: /exists and is not a folder/ },
  { name: '--seed that is not an integer', args: () => [...two(), '--calibration', 'mnist:50', '--seed', '1.5', '--out', out], code: 'invalid_argument', message: /--seed "1\.5" is not an integer/ },
  { name: '--eval images .npy without labels', args: () => [...two(), '--calibration', 'mnist:50', '--eval', path.join(dir, 'eval-images.npy'), '--out', out], code: 'invalid_argument', message: /give its labels with --eval-labels/ },
  { name: '--eval-labels without --eval', args: () => [...two(), '--calibration', 'mnist:50', '--eval-labels', path.join(dir, 'eval-labels-big.npy'), '--out', out], code: 'invalid_argument', message: /--eval-labels needs --eval/ },
  { name: '--eval labels that are not classes of the models', args: () => [...two(), '--calibration', 'mnist:50', '--eval', path.join(dir, 'eval-images.npy'), '--eval-labels', path.join(dir, 'eval-labels-big.npy'), '--out', out], code: 'invalid_argument', message: /label 12 is not a class of the models \(they have 10 classes/ },
  { name: '--eval on an unlabelled set', args: () => [...two(), '--calibration', 'mnist:50', '--eval', path.join(dir, 'eval-images.npy:3'), '--out', out], code: 'invalid_argument', message: /has no labels/ },
];

function assertOneErrorLine(stderr: string, c: ErrorCase): void {
  const lines = stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${stderr}`);
  assert.ok(lines[0]!.startsWith(`fedfuse: error (${c.code}): `), lines[0]);
  assert.match(lines[0]!, c.message);
}

describe('fedfuse fuse input errors: exit 2, one line', () => {
  for (const c of CASES) {
    test(c.name, async () => {
      const run = await runFuseInProcessExpectingFailure(c.args());
      assert.equal(run.code, 2, run.stderr);
      assertOneErrorLine(run.stderr, c);
      assert.ok(!existsSync(out), 'nothing may be written on an input error');
    });
  }

  test('as a real process: an LSTM model exits 2 with one line on stderr and nothing on stdout', async () => {
    const c = CASES.find((x) => x.name === 'a model with an unsupported layer (LSTM)')!;
    const run = await runFuseProcess(c.args());
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assertOneErrorLine(run.stderr, c);
  });
});
