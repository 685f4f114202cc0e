import { existsSync } from 'node:fs';
import { featureCount, isLabeled, loadDatasetSource, loadNpyDataset, type Dataset } from '../../../common/data/index.ts';
import { FedfuseError, isFedfuseError } from '../../../common/errors/index.ts';
import { layerWidths, type ModelSpec } from '../../../common/model/index.ts';
import type { EvaluationSource } from './fuse-request.ts';

/**
 * The calibration and evaluation sets of `fedfuse fuse`, loaded and checked
 * against the parents' input shape before any fusion work starts.
 */

/** A path the user meant as a file (so "unknown data set" would be the wrong complaint when it is missing). */
function looksLikeFile(source: string): boolean {
  const name = source.replace(/:\d+$/, '');
  return name.toLowerCase().endsWith('.npy') || name.includes('/') || name.includes('\\');
}

function withFlag<T>(flag: string, load: () => T): T {
  try {
    return load();
  } catch (e) {
    if (isFedfuseError(e)) throw new FedfuseError(e.code, `${flag}: ${e.message}`, { cause: e });
    throw e;
  }
}

function loadSource(source: string, flag: string): Dataset {
  const name = source.replace(/:\d+$/, '');
  if (looksLikeFile(source) && !existsSync(name)) throw new FedfuseError('invalid_argument', `${flag} ${source}: no such file or folder`);
  return withFlag(`${flag} ${source}`, () => loadDatasetSource(source));
}

/**
 * Samples fit the model when they hold as many values as its input, laid out
 * the same way: a flat model input takes any image shape (row-major flatten,
 * as Keras's Flatten does), but two image shapes must agree exactly
 * ([1, 28, 28] channels-first is not [28, 28, 1]).
 */
export function assertSamplesFitModel(ds: Dataset, spec: ModelSpec, what: string): void {
  const values = featureCount(ds.sampleShape);
  const expected = featureCount(spec.inputShape);
  const shape = `[${ds.sampleShape.join(', ')}]`;
  const modelShape = `[${spec.inputShape.join(', ')}]`;
  if (values !== expected) {
    throw new FedfuseError('shape_mismatch', `${what} samples have shape ${shape} (${values} values), the models take inputs of shape ${modelShape} (${expected} values)`);
  }
  const bothImages = ds.sampleShape.length > 1 && spec.inputShape.length > 1;
  if (bothImages && (ds.sampleShape.length !== spec.inputShape.length || ds.sampleShape.some((d, i) => d !== spec.inputShape[i]))) {
    throw new FedfuseError('shape_mismatch', `${what} samples have shape ${shape}, the models take ${modelShape}: same size, different layout (channels-last NHWC expected)`);
  }
}

export function loadCalibrationSet(source: string, spec: ModelSpec): Dataset {
  const ds = loadSource(source, '--calibration');
  assertSamplesFitModel(ds, spec, `--calibration ${source}`);
  if (ds.count < 1) throw new FedfuseError('invalid_argument', `--calibration ${source} holds no samples`);
  return ds;
}

/** The labelled evaluation set, with every label a class of the models. */
export function loadEvaluationSet(source: EvaluationSource, spec: ModelSpec): Dataset {
  let ds: Dataset;
  let what: string;
  if (source.kind === 'npy') {
    what = `--eval ${source.images}`;
    for (const [flag, file] of [['--eval', source.images], ['--eval-labels', source.labels]] as const) {
      if (!existsSync(file)) throw new FedfuseError('invalid_argument', `${flag} ${file}: no such file`);
    }
    ds = withFlag(what, () => loadNpyDataset(source.images, source.labels));
  } else {
    what = `--eval ${source.source}`;
    ds = loadSource(source.source, '--eval');
    if (!isLabeled(ds)) throw new FedfuseError('invalid_argument', `${what} has no labels: give a labelled set (a folder with labels.npy, or images.npy with --eval-labels)`);
  }
  assertSamplesFitModel(ds, spec, what);
  if (ds.count < 1) throw new FedfuseError('invalid_argument', `${what} holds no samples`);
  const classes = layerWidths(spec).at(-1)!;
  const top = ds.labels.reduce((m, l) => Math.max(m, l), -1);
  if (top >= classes) throw new FedfuseError('invalid_argument', `${what}: label ${top} is not a class of the models (they have ${classes} classes, 0..${classes - 1})`);
  return ds;
}
