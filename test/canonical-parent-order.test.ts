import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../common/backend/index.ts';
import { mlpSpec } from '../common/model/spec.ts';
import { createInProcessFusionExecutor, type AggregationRequest } from '../server/aggregation/index.ts';
import { withCanonicalParentOrder } from '../server/simulation/canonical-parent-order.ts';
import { gaussianInputs, randomNetwork } from './fusion-fixtures.ts';

// Simulations fuse updates in an order fixed by their content, so that the
// order they arrived in cannot change the numbers. Every per-parent field
// must travel with its parent: here the clients differ in size and class
// evidence, so a field left in arrival order would change the fused model.

const SPEC = mlpSpec(6, [8], 3);

before(async () => {
  await initBackend();
});

test('the fused model does not depend on the order the updates arrived in', async () => {
  const executor = withCanonicalParentOrder(createInProcessFusionExecutor({ calibration: gaussianInputs(SPEC, 30, 1), test: null }));
  try {
    const parents = [randomNetwork(SPEC, 2), randomNetwork(SPEC, 3), randomNetwork(SPEC, 4)];
    const request: AggregationRequest = {
      method: 'kf-linear',
      parents,
      importances: null,
      importance: 'uniform',
      numExamples: [10, 200, 40],
      classEvidence: [[9, 1, 0], [0, 100, 100], [5, 5, 30]],
      seed: 5,
    };
    const order = [2, 0, 1];
    const shuffled: AggregationRequest = {
      ...request,
      parents: order.map((i) => parents[i]!),
      numExamples: order.map((i) => request.numExamples[i]!),
      classEvidence: order.map((i) => request.classEvidence![i]!),
    };
    const a = await executor.aggregate(request);
    const b = await executor.aggregate(shuffled);
    assert.deepEqual(b.network.layers, a.network.layers);
  } finally {
    await executor.close();
  }
});
