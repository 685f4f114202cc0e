import { FedfuseError } from '../errors/index.ts';
import { mlpSpec, smallCnnSpec, type ModelSpec } from './spec.ts';

/**
 * Model architectures named on the command line and in config files:
 * `mlp:256`, `mlp:400,200` (hidden widths), `cnn:small` (conv 16 -> conv 32 ->
 * dense), `cnn:8,16` (conv filters per block). The input shape and number of
 * classes come from the data set.
 */
export const ARCHITECTURE_EXAMPLES = 'mlp:256, mlp:400,200, cnn:small, cnn:8,16';

export function parseArchitecture(text: string, sampleShape: readonly number[], classes: number): ModelSpec {
  const [kind, arg = ''] = text.split(':', 2) as [string, string | undefined];
  const widths = (what: string): number[] => {
    const parts = arg.split(',').map((s) => s.trim());
    const values = parts.map(Number);
    if (arg === '' || values.some((v) => !Number.isInteger(v) || v < 1 || v > 65_536)) {
      throw new FedfuseError('invalid_argument', `model "${text}": ${what} must be positive integers separated by commas (e.g. ${ARCHITECTURE_EXAMPLES})`);
    }
    return values;
  };
  const inputSize = sampleShape.reduce((a, b) => a * b, 1);
  switch (kind) {
    case 'mlp':
      return mlpSpec(inputSize, widths('hidden widths'), classes);
    case 'cnn': {
      if (sampleShape.length !== 3) {
        throw new FedfuseError('invalid_argument', `model "${text}" needs image samples [h, w, c], the data has shape [${sampleShape.join(', ')}]`);
      }
      const filters = arg === 'small' ? [16, 32] : widths('filter counts');
      return smallCnnSpec(sampleShape as [number, number, number], filters, classes);
    }
    default:
      throw new FedfuseError('invalid_argument', `unknown model "${text}": use one of ${ARCHITECTURE_EXAMPLES}`);
  }
}
