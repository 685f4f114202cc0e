import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../common/backend/index.ts';
import { mlpSpec } from '../common/model/spec.ts';
import { runAggregation, type AggregationRequest } from '../server/aggregation/index.ts';
import { resolveServerConfig } from '../server/config/index.ts';
import { FedfuseError } from '../common/errors/index.ts';
import { gaussianInputs, randomNetwork } from './fusion-fixtures.ts';

// The server's kf-linear runs with the federated settings unless told 'paper':
// the wiring from the request to the fusion is what is checked here (the
// settings themselves are tested in fusion-federated.test.ts).

const SPEC = mlpSpec(6, [8], 3);
const CALIBRATION = gaussianInputs(SPEC, 24, 1);
const REQUEST: AggregationRequest = {
  method: 'kf-linear',
  parents: [randomNetwork(SPEC, 2), randomNetwork(SPEC, 3)],
  importances: null,
  importance: 'uniform',
  numExamples: [10, 30],
  seed: 4,
};

before(async () => {
  await initBackend();
});

test("kf-linear in rounds uses the federated settings by default, and the paper's on request", async () => {
  const data = { calibration: CALIBRATION, test: null };
  const federated = await runAggregation(data, REQUEST);
  const paper = await runAggregation(data, { ...REQUEST, neuronFusion: 'paper' });
  assert.ok(federated.report.outputCalibration !== undefined, 'federated settings calibrate the output layer');
  assert.equal(federated.report.outputCalibration.scaleSkipped, null);
  assert.ok(federated.report.outputCalibration.priorMatching !== null);
  assert.equal(paper.report.outputCalibration, undefined);
  assert.notDeepEqual(federated.network.layers.at(-1)!.bias, paper.network.layers.at(-1)!.bias);
});

test('server config: neuronFusion defaults to federated and rejects unknown values', () => {
  const secret = 'x'.repeat(32);
  assert.equal(resolveServerConfig({ secret }).neuronFusion, 'federated');
  assert.equal(resolveServerConfig({ secret }, { neuronFusion: 'paper' }).neuronFusion, 'paper');
  assert.throws(() => resolveServerConfig({ secret }, { neuronFusion: 'magic' as 'paper' }), FedfuseError);
});
