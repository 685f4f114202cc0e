/**
 * Heterogeneous client widths (issue 12, item 4; docs/benchmarks.md, Models,
 * "Heterogeneous widths"): MLP 784-256-10 on Fashion-MNIST, Dirichlet 0.1,
 * 10 clients, 10 rounds, half the clients (the odd-numbered ones) at width
 * 0.5 (`--client-widths 1,0.5`), through the real server and clients
 * (`fedfuse simulate`'s engine):
 * - kf-linear, heterogeneous: every round's updates of both widths fused into
 *   the global width, the result fused down to width 0.5 for the small clients;
 * - heterofl, heterogeneous: static sub-networks (the first half of the hidden
 *   neurons), averaged where they overlap;
 * - fedavg, every client at full width (the reference the target is set
 *   against).
 * Same partitions, initial model and seeds for the three arms.
 *
 *   node --import tsx scripts/bench-hetero.ts --part hetero [--seeds 0,1,2] [--quick]
 *
 * Writes results/bench-hetero.json (every arm's results.json) and
 * results/bench-hetero.md (the table), and prints the table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findIdxSplitFiles, FASHION_MNIST_DIR } from '../common/data/index.ts';
import { describeEvent, resolveSimulationOptions, runSimulation, type RawSimulationOptions, type SimulationEvent, type SimulationResults } from '../server/simulation/index.ts';

const { values: args } = parseArgs({
  options: {
    part: { type: 'string', default: 'hetero' },
    seeds: { type: 'string', default: '0' },
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: 'results' },
    // A subset of the arms, to run them as processes side by side (same seed: same partitions, initial model and training seeds).
    arms: { type: 'string' },
  },
});
if (args.part !== 'hetero') {
  process.stderr.write(`bench-hetero: unknown --part '${args.part}' (this script has one part: hetero)\n`);
  process.exit(2);
}

const ALL_ARMS = ['kf-linear:uniform', 'heterofl', 'fedavg'];
const ARMS = args.arms === undefined ? ALL_ARMS : args.arms.split(',');
const SUFFIX = args.arms === undefined ? '' : `-${ARMS.map((a) => a.replace(/[^a-z0-9-]/g, '')).join('-')}`;
const options: RawSimulationOptions = {
  dataset: 'fashion-mnist',
  clients: '10',
  partition: 'dirichlet:0.1',
  model: 'mlp:256',
  rounds: args.quick ? '2' : '10',
  aggregator: ARMS,
  clientWidths: '1,0.5',
  seeds: args.seeds,
  clientThreads: '2',
  ...(args.quick ? { clientSamples: '3000', localEpochs: '1' } : {}),
  out: join(args.out, `bench-hetero${SUFFIX}`),
  discardDb: true,
};

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

function pct(v: number | null | undefined): string {
  return v === null || v === undefined ? '–' : (100 * v).toFixed(1);
}

function meanStd(values: readonly number[]): string {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  if (values.length < 2) return (100 * m).toFixed(1);
  const s = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
  return `${(100 * m).toFixed(1)} ± ${(100 * s).toFixed(1)}`;
}

function table(results: SimulationResults): string {
  const runs = results.runs;
  const labels = [...new Set(runs.map((r) => r.label))];
  const seeds = [...new Set(runs.map((r) => r.seed))];
  const rounds = Number(options.rounds);
  const lines = [
    `| aggregator | ${[1, 2, 5, rounds].filter((r, i, a) => a.indexOf(r) === i && r <= rounds).map((r) => `R=${r}`).join(' | ')} | final${seeds.length > 1 ? ' (mean ± std)' : ''} | best (round) | fusion s / round | wall s |`,
    `| --- | ${[1, 2, 5, rounds].filter((r, i, a) => a.indexOf(r) === i && r <= rounds).map(() => '---:').join(' | ')} | ---: | ---: | ---: | ---: |`,
  ];
  for (const label of labels) {
    const mine = runs.filter((r) => r.label === label);
    const at = (round: number): string => meanStd(mine.map((r) => r.rounds.find((x) => x.round === round)?.accuracy ?? NaN));
    const first = mine[0]!;
    const fusion = mine.flatMap((r) => r.rounds.map((x) => x.fusionSeconds));
    lines.push(
      `| ${label} | ${[1, 2, 5, rounds].filter((r, i, a) => a.indexOf(r) === i && r <= rounds).map(at).join(' | ')} | ${meanStd(mine.map((r) => r.finalAccuracy ?? NaN))} | ${pct(first.bestAccuracy)} (${first.bestRound}) | ${(fusion.reduce((a, b) => a + b, 0) / fusion.length).toFixed(2)} | ${mine.map((r) => r.timing.wallSeconds.toFixed(0)).join(', ')} |`,
    );
  }
  const final = (label: string): number => {
    const mine = runs.filter((r) => r.label.startsWith(label));
    return mine.reduce((a, r) => a + (r.finalAccuracy ?? NaN), 0) / mine.length;
  };
  if (!['kf-linear', 'heterofl', 'fedavg'].every((l) => runs.some((r) => r.label.startsWith(l)))) return lines.join('\n');
  const kf = final('kf-linear');
  const hetero = final('heterofl');
  const fedavg = final('fedavg');
  lines.push('');
  lines.push(`- kf-linear heterogeneous vs FedAvg full width: ${(100 * (kf - fedavg)).toFixed(1)} points (target ≥ −2: ${kf >= fedavg - 0.02 ? 'met' : 'missed'})`);
  lines.push(`- kf-linear heterogeneous vs HeteroFL heterogeneous: ${(100 * (kf - hetero)).toFixed(1)} points (target ≥ +2: ${kf >= hetero + 0.02 ? 'met' : 'missed'})`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  if (findIdxSplitFiles(FASHION_MNIST_DIR, 'train') === undefined) throw new Error(`Fashion-MNIST is not installed (${FASHION_MNIST_DIR}): apt-get install dataset-fashion-mnist`);
  const machine = `${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, TF.js wasm backend`;
  const loads: number[] = [loadavg()[0]!];
  log(`bench-hetero --part hetero${args.quick ? ' --quick (smoke run, not a measurement)' : ''}: ${machine}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const started = performance.now();
  const timer = setInterval(() => loads.push(loadavg()[0]!), 30_000);
  let results: SimulationResults;
  try {
    results = await runSimulation(resolveSimulationOptions(options), (ev: SimulationEvent) => {
      const line = describeEvent(ev, true);
      if (line !== null) log(line);
    });
  } finally {
    clearInterval(timer);
  }
  const minutes = (performance.now() - started) / 60_000;
  const report = {
    date: new Date().toISOString(),
    machine,
    command: `node --import tsx scripts/bench-hetero.ts --part hetero --seeds ${args.seeds}${args.arms === undefined ? '' : ` --arms ${args.arms}`}${args.quick ? ' --quick' : ''}`,
    reproduce: results.command.join(' '),
    minutes,
    loadAverage: { min: Math.min(...loads), max: Math.max(...loads), mean: loads.reduce((a, b) => a + b, 0) / loads.length },
    results,
  };
  mkdirSync(args.out, { recursive: true });
  writeFileSync(join(args.out, `bench-hetero${SUFFIX}.json`), `${JSON.stringify(report, null, 2)}\n`);
  const md = `${table(results)}\n\n- ${minutes.toFixed(1)} min, load average ${report.loadAverage.min.toFixed(1)}–${report.loadAverage.max.toFixed(1)} (mean ${report.loadAverage.mean.toFixed(1)}); reproduce: \`${report.reproduce}\`\n`;
  writeFileSync(join(args.out, `bench-hetero${SUFFIX}.md`), md);
  process.stdout.write(`${md}`);
}

await main();
