import * as tf from '@tensorflow/tfjs';
import { FedfuseError } from '../../common/errors/index.ts';
import { batchOf, disposeNetworkTensors, forwardLogits, toNetworkTensors, type NetworkTensors } from '../../common/model/forward.ts';
import { networkLogits } from '../../common/model/network-logits.ts';
import { validateNetwork, type Network } from '../../common/model/network.ts';
import { SeededRandom } from '../../common/random/index.ts';
import { DEFAULT_DISTILLATION_OPTIONS, validateDistillationOptions, type DistillationOptions, type DistillationReport } from './distillation-options.ts';

/**
 * Ensemble distillation on unlabelled inputs (FedDF, Lin et al. 2020,
 * "Ensemble Distillation for Robust Model Fusion in Federated Learning"):
 * the student is trained so that its softened class probabilities match
 * those of the teachers' averaged logits (FedDF's AVGLOGITS), by Adam on the
 * KL divergence T²·KL(p_teachers,T ‖ p_student,T), with a seeded held-out
 * split of the inputs for early stopping: the student returned is the one
 * with the lowest held-out KL seen (so distillation never returns a model
 * that matches the ensemble worse, on held-out inputs, than it started).
 *
 * FedDF starts the student from the clients' FedAvg average; fedfuse can
 * also start it from the fused model. The targets are computed once (one
 * forward pass per teacher); only the student trains.
 */
export async function distillEnsemble(
  student: Network,
  teachers: readonly Network[],
  inputs: Float32Array,
  samples: number,
  options: Partial<DistillationOptions> = {},
): Promise<{ network: Network; report: DistillationReport }> {
  const started = performance.now();
  const o: DistillationOptions = { ...DEFAULT_DISTILLATION_OPTIONS, ...options };
  validateDistillationOptions(o);
  validateNetwork(student, 'student');
  if (teachers.length === 0) throw new FedfuseError('invalid_argument', 'distillation needs at least one teacher');
  const specText = JSON.stringify(student.spec);
  teachers.forEach((t, k) => {
    validateNetwork(t, `teacher ${k}`);
    if (JSON.stringify(t.spec) !== specText) throw new FedfuseError('shape_mismatch', `teacher ${k} has another architecture than the student`);
  });
  if (!Number.isSafeInteger(samples) || samples < 2 || inputs.length % samples !== 0) {
    throw new FedfuseError('invalid_argument', `distillation needs at least 2 whole samples, got ${samples} for ${inputs.length} values`);
  }
  const rowSize = inputs.length / samples;

  const targets = await averagedLogits(teachers, inputs, samples);
  const classes = targets.length / samples;
  const rng = new SeededRandom(o.seed);
  const order = rng.permutation(samples);
  const heldOutCount = Math.max(1, Math.min(samples - 1, Math.round(samples * o.validationFraction)));
  const heldOut = order.slice(0, heldOutCount);
  const trainRows = order.slice(heldOutCount);

  const gather = (rows: readonly number[]): { x: Float32Array; t: Float32Array } => {
    const x = new Float32Array(rows.length * rowSize);
    const t = new Float32Array(rows.length * classes);
    rows.forEach((r, i) => {
      x.set(inputs.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize);
      t.set(targets.subarray(r * classes, (r + 1) * classes), i * classes);
    });
    return { x, t };
  };
  const held = gather(heldOut);
  const heldX = batchOf(student.spec, held.x, heldOut.length);
  const heldT = tf.tensor2d(held.t, [heldOut.length, classes]);

  const initial = toNetworkTensors(student);
  const variables: tf.Variable[] = [];
  const params: NetworkTensors = {
    spec: student.spec,
    layers: initial.layers.map((l) => {
      const kernel = tf.variable(l.kernel);
      const bias = l.bias === null ? null : tf.variable(l.bias);
      variables.push(kernel, ...(bias === null ? [] : [bias]));
      return { kernel, bias };
    }),
  };
  disposeNetworkTensors(initial);
  const optimizer = tf.train.adam(o.learningRate);
  const heldOutKl = async (): Promise<number> => {
    const kl = tf.tidy(() => softenedKl(heldT, forwardLogits(params, heldX), o.temperature));
    const value = (await kl.data())[0]!;
    kl.dispose();
    return value;
  };

  try {
    const klBefore = await heldOutKl();
    let best = { kl: klBefore, step: 0, weights: await readWeights(student, params) };
    let step = 0;
    let sinceBest = 0;
    let stoppedEarly = false;
    let cursor = trainRows.length;
    let epochOrder: number[] = [];
    while (step < o.maxSteps) {
      if (cursor >= trainRows.length) {
        epochOrder = rng.shuffle([...trainRows]);
        cursor = 0;
      }
      const rows = epochOrder.slice(cursor, cursor + o.batchSize);
      cursor += o.batchSize;
      const batch = gather(rows);
      const x = batchOf(student.spec, batch.x, rows.length);
      const t = tf.tensor2d(batch.t, [rows.length, classes]);
      const loss = optimizer.minimize(() => softenedKl(t, forwardLogits(params, x), o.temperature), true, variables);
      loss?.dispose();
      tf.dispose([x, t]);
      step++;
      if (step % o.evaluateEvery === 0 || step === o.maxSteps) {
        const kl = await heldOutKl();
        if (!Number.isFinite(kl)) throw new FedfuseError('non_finite', `distillation diverged at step ${step}; lower the learning rate`);
        if (kl < best.kl) {
          best = { kl, step, weights: await readWeights(student, params) };
          sinceBest = 0;
        } else if (++sinceBest >= o.patience) {
          stoppedEarly = true;
          break;
        }
      }
    }
    return {
      network: best.weights,
      report: {
        steps: step,
        bestStep: best.step,
        stoppedEarly,
        heldOutSamples: heldOut.length,
        heldOutKlBefore: klBefore,
        heldOutKlAfter: best.kl,
        seconds: (performance.now() - started) / 1000,
      },
    };
  } finally {
    tf.dispose(variables);
    tf.dispose([heldX, heldT]);
    optimizer.dispose();
  }
}

/** The teachers' mean logits (FedDF's AVGLOGITS), samples x classes. */
async function averagedLogits(teachers: readonly Network[], inputs: Float32Array, samples: number): Promise<Float32Array> {
  let sum: Float64Array | null = null;
  for (const teacher of teachers) {
    const logits = await networkLogits(teacher, inputs, samples);
    sum ??= new Float64Array(logits.length);
    for (let i = 0; i < logits.length; i++) sum[i]! += logits[i]!;
  }
  return Float32Array.from(sum!, (v) => v / teachers.length);
}

/** Mean over samples of T²·KL(softmax(t/T) ‖ softmax(s/T)); the T² keeps gradients comparable across temperatures (Hinton et al.). */
function softenedKl(teacherLogits: tf.Tensor2D, studentLogits: tf.Tensor2D, temperature: number): tf.Scalar {
  return tf.tidy(() => {
    const logP = tf.logSoftmax(tf.div(teacherLogits, temperature));
    const logQ = tf.logSoftmax(tf.div(studentLogits, temperature));
    const kl = tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, logQ)), 1);
    return tf.mul(tf.mean(kl), temperature * temperature) as tf.Scalar;
  });
}

/** Copies of the student's current weights as a Network. */
async function readWeights(student: Network, params: NetworkTensors): Promise<Network> {
  const layers = [];
  for (const [l, p] of params.layers.entries()) {
    layers.push({
      kernel: new Float32Array(await p.kernel.data()),
      kernelShape: student.layers[l]!.kernelShape,
      bias: p.bias === null ? null : new Float32Array(await p.bias.data()),
    });
  }
  return { spec: student.spec, layers };
}
