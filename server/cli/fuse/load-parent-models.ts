import { existsSync } from 'node:fs';
import { FedfuseError, isFedfuseError } from '../../../common/errors/index.ts';
import { loadNetwork, type Network } from '../../../common/model/index.ts';
import { modelJsonPath } from '../../config/index.ts';
import { assertSameLayerStructure } from '../../fusion/index.ts';

export interface ParentModel {
  /** The path as given on the command line (for messages and the table). */
  readonly label: string;
  readonly network: Network;
}

/**
 * Reads every parent (TF.js Layers models from anywhere: loadNetwork accepts
 * any Sequential model of Dense/Conv2D/MaxPool/Flatten) and checks that they
 * share one layer structure. Errors name the --model at fault.
 */
export async function loadParentModels(paths: readonly string[]): Promise<ParentModel[]> {
  const parents: ParentModel[] = [];
  for (const [k, given] of paths.entries()) {
    const file = modelJsonPath(given);
    if (!existsSync(file)) throw new FedfuseError('invalid_argument', `--model ${given}: no such file`);
    let network: Network;
    try {
      network = await loadNetwork(file);
    } catch (e) {
      if (isFedfuseError(e)) throw new FedfuseError(e.code, `--model ${given} (parent ${k}): ${e.message}`, { cause: e });
      throw e;
    }
    if (k > 0) {
      try {
        assertSameLayerStructure(parents[0]!.network.spec, network.spec, `parent ${k} (${given})`);
      } catch (e) {
        if (isFedfuseError(e)) throw new FedfuseError(e.code, `${e.message} (parent 0 is ${paths[0]!})`, { cause: e });
        throw e;
      }
    }
    parents.push({ label: given, network });
  }
  return parents;
}
