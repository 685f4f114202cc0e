import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layerWidths } from '../common/model/spec.ts';
import type { Network } from '../common/model/network.ts';
import { createFusionStrategy, createInProcessFusionExecutor, taskModelRecordName, widthOfClient, type FusionStrategyOptions } from '../server/aggregation/index.ts';
import { heteroFLAverage } from '../server/fusion/index.ts';
import { committedRoundFromRecord, decodeModelBlob } from '../server/rounds/index.ts';
import { until } from './hostile-fixtures.ts';
import { SECRET, smallMnistSplit, startClient, startTestServer } from './rounds-fixtures.ts';
import { BIN } from './server-process.ts';
import { isFedfuseError } from '../common/errors/index.ts';
import type { ClientEvent } from '../client/index.ts';
import { reproducingCommand, resolveSimulationOptions } from '../server/simulation/index.ts';

/**
 * Heterogeneous clients (issue 12, item 4) over a real server on port 0 with
 * three SDK clients on real socket.io, real protobuf and TF.js models:
 * client-0, client-1, client-2 train widths 1, 0.5 and 0.25 of a 784-16-10
 * MLP (16, 8 and 4 hidden neurons) for two rounds.
 */
const WIDTHS = [1, 0.5, 0.25];
const HIDDEN = [[16], [8], [4]];
const hidden = (net: Network): number[] => layerWidths(net.spec).slice(0, -1);
const training = { epochs: 1, batchSize: 32, learningRate: 0.01, optimizer: 'adam' as const, proximalMu: 0, attributionMethod: 'uniform' as const, attributionSamples: 0 };

type Arm = { readonly aggregator: 'kf-linear' | 'heterofl'; readonly trainFrom?: 'served' | 'average' };

function strategyOptions({ aggregator, trainFrom }: Arm): FusionStrategyOptions {
  return { aggregator, importance: 'uniform', training, sampling: { fractionFit: 1, minFitClients: 1 }, seed: 0, clientWidths: WIDTHS, ...(trainFrom !== undefined ? { trainFrom } : {}) };
}

async function heterogeneousRun(arm: Arm) {
  const t = await startTestServer({ rounds: 2, minClients: 3 }, { strategy: strategyOptions(arm) });
  const clients = await Promise.all([0, 1, 2].map((i) => startClient(t.url, i)));
  return { t, clients };
}

describe('heterogeneous clients (--client-widths 1,0.5,0.25)', () => {
  test('the width rule: a trailing number deals the widths round-robin, other ids by a hash', () => {
    assert.deepEqual(['client-0', 'client-1', 'client-2', 'client-3', 'node-14'].map((id) => widthOfClient(id, WIDTHS)), [1, 0.5, 0.25, 1, 0.25]);
    assert.equal(widthOfClient('alice', WIDTHS), widthOfClient('alice', WIDTHS));
    assert.equal(widthOfClient('anything', []), 1);
  });

  const arms: readonly Arm[] = [{ aggregator: 'kf-linear' }, { aggregator: 'kf-linear', trainFrom: 'served' }, { aggregator: 'heterofl' }];
  for (const arm of arms) {
    const { aggregator } = arm;
    const name = `${aggregator}${arm.trainFrom === undefined ? '' : ` (train from ${arm.trainFrom})`}`;
    test(`${name}: 2 rounds complete, each client gets and trains its own width, the stored global model has the global width`, { timeout: 240_000 }, async () => {
      const { t, clients } = await heterogeneousRun(arm);
      try {
        const finished = await t.waitFor((e) => e.type === 'runFinished' || e.type === 'roundFailed', 200_000);
        assert.equal(finished.type, 'runFinished', JSON.stringify(finished));
        for (const c of clients) await until('the final model arrived', () => c.client.latestGlobalModel()?.final === true);
        const run = (await t.store.listRuns())[0]!;
        assert.equal(run.state, 'finished');
        for (const [i, c] of clients.entries()) {
          const tasks = c.events.flatMap((e) => (e.type === 'task' ? [e] : []));
          assert.deepEqual(tasks.map((e) => e.round), [1, 2]);
          // The weights it received: the kernel shapes of its width, not the global one.
          for (const task of tasks) {
            assert.deepEqual(hidden(task.model), HIDDEN[i], `client-${i}, round ${task.round}`);
            assert.deepEqual(task.model.layers.map((l) => l.kernelShape), [[784, HIDDEN[i]![0]!], [HIDDEN[i]![0]!, 10]]);
          }
          for (const round of [1, 2]) assert.deepEqual(hidden(decodeModelBlob((await t.store.getUpdate(run.id, round, `client-${i}`))!.model)), HIDDEN[i]);
          // The broadcast global model is the global width.
          assert.deepEqual(hidden(c.client.latestGlobalModel()!.network), [16]);
        }
        for (const round of [0, 1, 2]) assert.deepEqual(hidden(decodeModelBlob((await t.store.getGlobalModel(run.id, round))!.model)), [16]);
        const state1 = committedRoundFromRecord((await t.store.getGlobalModel(run.id, 1))!);
        // HeteroFL's average of the three stored sub-network updates over the initial model.
        const initial = decodeModelBlob((await t.store.getGlobalModel(run.id, 0))!.model);
        const updates = await Promise.all([0, 1, 2].map(async (i) => decodeModelBlob((await t.store.getUpdate(run.id, 1, `client-${i}`))!.model)));
        const counts = [0, 1, 2].map((i) => smallMnistSplit().clients[i]!.count);
        const average = heteroFLAverage(initial, updates, counts);
        if (aggregator === 'heterofl') {
          // Round 1's global model is that average.
          assert.deepEqual(state1.served.layers, average.layers);
          assert.equal(state1.strategyState.arrays.size, 0, 'HeteroFL stores nothing: the sub-networks are cut from the global model');
        } else if (arm.trainFrom === undefined) {
          // The default: the fusion is served, the clients train from HeteroFL's average (stored as the training
          // model) and their tasks are its sub-networks; nothing else is stored.
          assert.deepEqual(state1.training.layers, average.layers);
          assert.notDeepEqual(state1.served.layers, average.layers);
          assert.equal(state1.strategyState.arrays.size, 0);
          for (const [i, c] of clients.entries()) {
            const sent = c.events.flatMap((e) => (e.type === 'task' && e.round === 2 ? [e.model] : []))[0]!;
            const k = HIDDEN[i]![0]!;
            // The first k neurons of the average: the first k columns of its first kernel, the first k rows of its second.
            assert.deepEqual([...sent.layers[0]!.kernel], [...average.layers[0]!.kernel].filter((_, j) => j % 16 < k), `client-${i}'s round-2 task`);
            assert.deepEqual([...sent.layers[1]!.kernel], [...average.layers[1]!.kernel].slice(0, k * 10));
          }
        } else {
          // kf-linear stores each width's fused-down task model with the round.
          assert.deepEqual([...state1.strategyState.arrays.keys()].sort(), [taskModelRecordName(0.25), taskModelRecordName(0.5)]);
        }
        // Crash resume: a server restarted on the store builds round 2's tasks from the stored round 1 alone; they are the ones sent.
        const executor = createInProcessFusionExecutor({ calibration: smallMnistSplit().calibration.images, test: null });
        try {
          const restarted = createFusionStrategy(strategyOptions(arm), executor);
          clients.forEach((c, i) => {
            const sent = c.events.flatMap((e) => (e.type === 'task' && e.round === 2 ? [e.model] : []))[0]!;
            const rebuilt = restarted.clientModel!(2, state1, { clientId: `client-${i}`, lastFused: null });
            assert.deepEqual(rebuilt.layers, sent.layers, `client-${i}'s round-2 task`);
          });
        } finally {
          await executor.close();
        }
      } finally {
        for (const c of clients) c.client.close();
        await t.close();
      }
    });
  }

  test('a width capacity in the hello: the largest width not above it; none fits, or a run of one width: refused at hello', { timeout: 240_000 }, async () => {
    const t = await startTestServer({ rounds: 1, minClients: 2 }, { strategy: strategyOptions({ aggregator: 'kf-linear' }) });
    // client-0 would get width 1 by its id; it declares it can train 0.3 of it.
    const small = await startClient(t.url, 0, { widthCapacity: 0.3 });
    const tiny = await startClient(t.url, 1, { widthCapacity: 0.1 });
    const plain = await startClient(t.url, 2);
    try {
      await until('the refusal arrived', () => tiny.events.some((e) => e.type === 'refused'));
      const refusal = tiny.events.find((e) => e.type === 'refused') as Extract<ClientEvent, { type: 'refused' }>;
      assert.deepEqual([refusal.code, refusal.message], ['invalid_argument', 'width_capacity 0.1 is below every width this run trains (1, 0.5, 0.25)']);
      const finished = await t.waitFor((e) => e.type === 'runFinished' || e.type === 'roundFailed', 200_000);
      assert.equal(finished.type, 'runFinished', JSON.stringify(finished));
      const task = small.events.find((e) => e.type === 'task') as Extract<ClientEvent, { type: 'task' }>;
      assert.deepEqual(hidden(task.model), [4]);
      assert.deepEqual(hidden((plain.events.find((e) => e.type === 'task') as Extract<ClientEvent, { type: 'task' }>).model), [4], 'client-2 by its id: 0.25');
    } finally {
      for (const c of [small, tiny, plain]) c.client.close();
      await t.close();
    }
    const homogeneous = await startTestServer({ rounds: 1, minClients: 1 });
    const declared = await startClient(homogeneous.url, 0, { widthCapacity: 0.5 });
    try {
      await until('the refusal arrived', () => declared.events.some((e) => e.type === 'refused'));
      const refusal = declared.events.find((e) => e.type === 'refused') as Extract<ClientEvent, { type: 'refused' }>;
      assert.equal(refusal.message, 'width_capacity 0.5: this run trains the global width only (the server has no --client-widths below 1)');
    } finally {
      declared.client.close();
      await homogeneous.close();
    }
  });

  test('simulate --client-widths: the arms that train several widths get them, the others run at full width; bad lists are one line', () => {
    const o = resolveSimulationOptions({ aggregator: ['kf-linear', 'heterofl', 'fedavg'], clientWidths: '1,0.5' });
    assert.deepEqual(o.aggregators.map((a) => [a.label, a.clientWidths]), [['kf-linear (uniform, widths 1,0.5)', [1, 0.5]], ['heterofl (widths 1,0.5)', [1, 0.5]], ['fedavg', null]]);
    assert.ok(reproducingCommand(o).join(' ').includes('--client-widths 1,0.5'));
    for (const bad of ['0', '1,2', 'a,1', '']) {
      assert.throws(() => resolveSimulationOptions({ clientWidths: bad }), (e: unknown) => isFedfuseError(e, 'invalid_argument') && /^--client-widths must be width fractions in \(0, 1\]/.test(e.message) && !e.message.includes('\n'), bad);
    }
  });

  test('bad --client-widths values and unsupported combinations: one line, exit 2, nothing started', { timeout: 600_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedfuse-widths-'));
    try {
      for (const [args, message] of [
        [['--client-widths', '0'], /^fedfuse: error \(invalid_argument\): --client-widths: must be width fractions in \(0, 1\], comma-separated \(e\.g\. 1,0\.5,0\.25\) \("0" is not a number > 0 and <= 1\), got "0"\n$/],
        [['--client-widths', '1,1.5'], /^fedfuse: error \(invalid_argument\): --client-widths: must be width fractions .*\("1\.5" is not a number > 0 and <= 1\), got "1,1\.5"\n$/],
        [['--client-widths', '1,half'], /^fedfuse: error \(invalid_argument\): --client-widths: must be width fractions .*\("half" is not a number > 0 and <= 1\), got "1,half"\n$/],
        [['--client-widths', '0.5', '--aggregator', 'fedavg'], /^fedfuse: error \(invalid_argument\): --client-widths below 1 needs --aggregator kf-linear, kf-gradient, heterofl; fedavg combines models of one shape only\n$/],
      ] as const) {
        const r = spawnSync(process.execPath, [BIN, 'server', '--secret', SECRET, '--port', '0', '--db', join(dir, 'x.sqlite'), ...args], { encoding: 'utf8', timeout: 180_000 });
        assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, message);
        assert.equal(r.stdout, '', 'nothing started');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
