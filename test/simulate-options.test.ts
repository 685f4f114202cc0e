import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { addSimulationOptions, type SimulateFlags } from '../server/cli/commands/simulate.ts';
import {
  assignClientsToThreads,
  canonicalOrder,
  parseAggregatorVariant,
  reproducingCommand,
  resolveSimulationOptions,
  roundsToTarget,
  strategyOptions,
  accuracyPlotSpec,
  fittedDomain,
  spread,
  spreadPercent,
  type RawSimulationOptions,
} from '../server/simulation/index.ts';
import { initNetwork, mlpSpec } from '../common/model/index.ts';

const DEFAULTS = { importance: 'grad-x-act', mu: 0, trainFrom: 'average' } as const;

test('aggregator variants: importance and mu per arm, labels that say which', () => {
  const cases: Array<[string, { label: string; method: string; importance: string | null; proximalMu: number }]> = [
    ['kf-linear', { label: 'kf-linear (grad-x-act)', method: 'kf-linear', importance: 'grad-x-act', proximalMu: 0 }],
    ['kf-linear:uniform', { label: 'kf-linear (uniform)', method: 'kf-linear', importance: 'uniform', proximalMu: 0 }],
    ['hf:conductance', { label: 'hf (conductance)', method: 'hf', importance: 'conductance', proximalMu: 0 }],
    ['kf-gradient:activation', { label: 'kf-gradient (activation)', method: 'kf-gradient', importance: 'activation', proximalMu: 0 }],
    ['fedavg', { label: 'fedavg', method: 'fedavg', importance: null, proximalMu: 0 }],
    ['average', { label: 'average', method: 'average', importance: null, proximalMu: 0 }],
    ['fedprox', { label: 'fedprox (mu=0.01)', method: 'fedprox', importance: null, proximalMu: 0.01 }],
    ['fedprox:0.1', { label: 'fedprox (mu=0.1)', method: 'fedprox', importance: null, proximalMu: 0.1 }],
    ['fedavg-prior', { label: 'fedavg-prior', method: 'fedavg-prior', importance: null, proximalMu: 0 }],
    ['scaffold', { label: 'scaffold', method: 'scaffold', importance: null, proximalMu: 0 }],
    ['feddf', { label: 'feddf', method: 'feddf', importance: null, proximalMu: 0 }],
    ['fednova', { label: 'fednova', method: 'fednova', importance: null, proximalMu: 0 }],
  ];
  for (const [text, expected] of cases) {
    const v = parseAggregatorVariant(text, DEFAULTS);
    assert.deepEqual({ label: v.label, method: v.method, importance: v.importance, proximalMu: v.proximalMu }, expected, text);
  }
  // --mu applies to every arm and is fedprox's mu when it has none of its own.
  assert.equal(parseAggregatorVariant('fedprox', { ...DEFAULTS, mu: 0.5 }).proximalMu, 0.5);
  assert.equal(parseAggregatorVariant('kf-linear', { ...DEFAULTS, mu: 0.5 }).label, 'kf-linear (grad-x-act, mu=0.5)');
  // --train-from reaches the neuron fusions only (FedDF trains from its distilled model, as published; fedavg-prior
  // from the uncorrected average), and a value other than the default names itself in the label.
  const served = { ...DEFAULTS, trainFrom: 'served' } as const;
  assert.deepEqual(['kf-linear', 'feddf', 'fedavg', 'scaffold', 'fedavg-prior'].map((a) => parseAggregatorVariant(a, DEFAULTS).trainFrom), ['average', 'served', 'served', 'served', 'average']);
  assert.deepEqual(['kf-linear', 'feddf', 'fedavg-prior'].map((a) => parseAggregatorVariant(a, served).trainFrom), ['served', 'served', 'average']);
  assert.equal(parseAggregatorVariant('kf-linear', served).label, 'kf-linear (grad-x-act, train from served)');
  assert.equal(parseAggregatorVariant('fedavg', served).label, 'fedavg');
  for (const bad of ['fedavg:2', 'scaffold:1', 'kf-linear:magic', 'fedprox:-1', 'fedprox:0', 'nope']) {
    assert.throws(() => parseAggregatorVariant(bad, DEFAULTS), { name: 'FedfuseError', code: 'invalid_argument' }, bad);
  }
});

test('strategy per arm: client attribution for conductance/grad-x-act/ablation, server importance otherwise, none for means', () => {
  const o = resolveSimulationOptions({ aggregator: ['kf-linear:conductance', 'kf-linear:activation', 'fedprox:0.01'] });
  const [client, server, prox] = o.aggregators.map((a) => strategyOptions(o, a));
  assert.equal(client!.importance, 'client');
  assert.equal(client!.training.attributionMethod, 'conductance');
  assert.equal(client!.training.attributionSamples, o.attributionSamples);
  assert.equal(server!.importance, 'activation');
  assert.equal(server!.training.attributionMethod, 'uniform');
  assert.equal(prox!.aggregator, 'fedprox');
  assert.equal(prox!.training.proximalMu, 0.01);
  assert.equal(prox!.training.attributionMethod, 'uniform');
  assert.equal(client!.screening?.enabled, false);
});

test('split-by-K sets the number of clients; a contradicting --clients is refused', () => {
  const o = resolveSimulationOptions({ partition: 'split-by-8' });
  assert.equal(o.clients, 8);
  assert.deepEqual(o.partition, { kind: 'split-by-k' });
  assert.equal(resolveSimulationOptions({ partition: 'split-by-4', clients: '4' }).clients, 4);
  assert.throws(() => resolveSimulationOptions({ partition: 'split-by-4', clients: '5' }), /splits the data into 4 clients, but --clients is 5/);
});

test("results.json's command line parses back to the very same options", () => {
  const given: RawSimulationOptions = {
    dataset: 'fashion-mnist',
    fashionMnistDir: '/data/fashion',
    partition: 'split-by-4',
    model: 'mlp:32,16',
    rounds: '3',
    mu: '0.05',
    aggregator: ['kf-linear:uniform', 'fedprox', 'fedavg'],
    importance: 'conductance',
    clientSamples: '900',
    fraction: '0.5',
    seed: '11',
    screening: true,
    neuronFusion: 'paper',
    trainFrom: 'average',
    startModelParent: 'off',
    calibrationFrom: 'test',
    shareHistograms: true,
    backend: 'cpu',
  };
  const options = resolveSimulationOptions(given);
  const args = reproducingCommand(options);
  assert.deepEqual(args.slice(0, 4), ['fedfuse', '--backend', 'cpu', 'simulate']);
  const command = addSimulationOptions(new Command('simulate').exitOverride());
  command.parse(args.slice(4), { from: 'user' });
  const { quiet: _quiet, json: _json, ...raw } = command.opts<SimulateFlags>();
  assert.deepEqual(resolveSimulationOptions({ ...raw, backend: 'cpu' }), options);
});

test('--seeds: every seed once, in the given order, recorded in the reproducing command (which parses back)', () => {
  const options = resolveSimulationOptions({ seeds: '3, 1,2', csv: 'rows.csv' });
  assert.deepEqual(options.seeds, [3, 1, 2]);
  assert.equal(options.seed, 3);
  assert.equal(options.csvPath, 'rows.csv');
  assert.deepEqual(resolveSimulationOptions({}).seeds, [0]);
  assert.deepEqual(resolveSimulationOptions({ seed: '5' }).seeds, [5]);
  const args = reproducingCommand(options);
  assert.deepEqual(args.slice(args.indexOf('--seeds'), args.indexOf('--seeds') + 2), ['--seeds', '3,1,2']);
  assert.equal(args.includes('--seed'), false);
  const command = addSimulationOptions(new Command('simulate').exitOverride());
  command.parse(args.slice(2), { from: 'user' });
  const { quiet: _quiet, json: _json, ...raw } = command.opts<SimulateFlags>();
  assert.deepEqual(resolveSimulationOptions(raw).seeds, [3, 1, 2]);
  for (const bad of ['', '1,,x', '-1', '2,2']) assert.throws(() => resolveSimulationOptions({ seeds: bad }), { name: 'FedfuseError', code: 'invalid_argument' }, bad);
});

test('mean ± std over seeds: sample standard deviation by hand, none with one seed', () => {
  assert.equal(spread([0.5, 0.7, null, 0.6]).n, 3);
  const s = spread([0.5, 0.7, 0.6]);
  assert.ok(Math.abs(s.mean! - 0.6) < 1e-15 && Math.abs(s.std! - 0.1) < 1e-12);
  assert.deepEqual(spread([0.25]), { mean: 0.25, std: null, n: 1 });
  assert.deepEqual(spread([null]), { mean: null, std: null, n: 0 });
  assert.equal(spreadPercent({ mean: 0.8123, std: 0.0049, n: 3 }), '81.2 ± 0.5%');
  assert.equal(spreadPercent({ mean: 0.8123, std: null, n: 1 }), '81.2%');
});

test('the plot: y fitted to the data and the target (not 0-100 %), a band per arm, a labelled target rule', () => {
  const spec = accuracyPlotSpec({
    title: 't; seeds 0, 1',
    subtitle: 'a; b',
    series: [{ label: 'fedavg', kind: 'global model', points: [{ round: 0, accuracy: 0.62, lower: 0.6, upper: 0.64 }, { round: 1, accuracy: 0.71, lower: 0.69, upper: 0.73 }] }],
    target: 0.75,
  });
  const text = JSON.stringify(spec);
  assert.ok(text.includes('"domain":[0.55,0.8]'), text);
  assert.ok(text.includes('"target 75%"'));
  assert.ok(text.includes('"y2":{"field":"upper"}'));
  assert.deepEqual((spec as { title: { subtitle: string[] } }).title.subtitle, ['a', 'b']);
  assert.deepEqual(fittedDomain([0.951, 0.99]), [0.9, 1]);
  assert.deepEqual(fittedDomain([]), [0, 1]);
});

test('rounds to target: the first round at or above it, null when none is', () => {
  const rounds = [0.5, 0.79, 0.8, 0.7].map((accuracy, i) => ({ round: i + 1, accuracy }));
  assert.equal(roundsToTarget(rounds, 0.8), 3);
  assert.equal(roundsToTarget(rounds, 0.5), 1);
  assert.equal(roundsToTarget(rounds, 0.81), null);
});

test('clients over threads: largest first to the least loaded thread', () => {
  const groups = assignClientsToThreads([10, 80, 30, 50, 20].map((count, i) => ({ id: i, count })), 2);
  assert.deepEqual(groups.map((g) => g.map((c) => c.count)), [[80, 20], [50, 30, 10]]);
  assert.equal(assignClientsToThreads([{ count: 1 }], 4).length, 1);
});

test('canonical parent order depends on the weights only, not on the order they came in', () => {
  const parents = [0, 1, 2, 3].map((s) => initNetwork(mlpSpec(4, [3], 2), s));
  const order = canonicalOrder(parents);
  const shuffled = [parents[2]!, parents[0]!, parents[3]!, parents[1]!];
  assert.deepEqual(canonicalOrder(shuffled).map((i) => shuffled[i]), order.map((i) => parents[i]));
});
