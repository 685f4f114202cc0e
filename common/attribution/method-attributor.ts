import { FedfuseError } from '../errors/index.ts';
import type { NetworkTensors } from '../model/forward.ts';
import { ablationAttributor, type AblationStrategy } from './ablation.ts';
import { activationAttributor } from './activation-magnitude.ts';
import { conductanceAttributor, DEFAULT_CONDUCTANCE_STEPS } from './conductance.ts';
import { gradientTimesActivationAttributor } from './gradient-times-activation.ts';
import type { NeuronAttributor } from './neuron-attributor.ts';
import type { AttributionMethod } from './summary.ts';

/** The methods that look at data (uniform does not). */
export type DataAttributionMethod = Exclude<AttributionMethod, 'uniform'>;

/** Method-specific settings; each method reads only its own. */
export interface MethodSettings {
  /** conductance: Riemann steps from the zero baseline. Default 10, as in the paper. */
  readonly steps?: number;
  /** ablation: 'fastest' (exact shortcuts where they apply, default) or 'masking' (the plain definition everywhere). */
  readonly ablationStrategy?: AblationStrategy;
}

export function attributorFor(method: DataAttributionMethod, settings: MethodSettings): (net: NetworkTensors) => NeuronAttributor {
  switch (method) {
    case 'conductance':
      return (net) => conductanceAttributor(net, settings.steps ?? DEFAULT_CONDUCTANCE_STEPS);
    case 'grad-x-act':
      return (net) => gradientTimesActivationAttributor(net);
    case 'ablation':
      return (net) => ablationAttributor(net, { strategy: settings.ablationStrategy ?? 'fastest' });
    case 'activation':
      return (net) => activationAttributor(net);
    default: {
      const unknown: never = method;
      throw new FedfuseError('invalid_argument', `unknown attribution method "${String(unknown)}"`);
    }
  }
}
