import { modelUrl, type RoundDetailView, type RoundList, type RoundSummaryView } from './api.ts';
import { decimal, percent, seconds } from './format.ts';
import { renderLineChart, type ChartPoint } from './line-chart.ts';

/** A client left out of a round, and why (no answer, screened out), from the round's stored metrics. */
export interface LeftOut {
  readonly clientId: string;
  readonly reason: string;
}

/** The round metrics' `failures` list, read defensively: the metrics are free-form JSON. */
export function leftOutOf(detail: RoundDetailView | undefined): LeftOut[] {
  const metrics = detail?.metrics;
  if (metrics === null || metrics === undefined || typeof metrics !== 'object' || Array.isArray(metrics)) return [];
  const failures = (metrics as Record<string, unknown>)['failures'];
  if (!Array.isArray(failures)) return [];
  return failures.flatMap((f) => {
    if (f === null || typeof f !== 'object') return [];
    const { clientId, reason } = f as Record<string, unknown>;
    return typeof clientId === 'string' && typeof reason === 'string' ? [{ clientId, reason }] : [];
  });
}

/** The clients' own accuracies (on their training data, as they trained) of a round's stored updates. */
export function clientAccuracies(detail: RoundDetailView | undefined): { clientId: string; accuracy: number }[] {
  return (detail?.updates ?? []).flatMap((u) => {
    const m = u.clientMetrics;
    const accuracy = m !== null && typeof m === 'object' && !Array.isArray(m) ? (m as Record<string, unknown>)['accuracy'] : undefined;
    return typeof accuracy === 'number' && Number.isFinite(accuracy) ? [{ clientId: u.clientId, accuracy }] : [];
  });
}

function roundSeconds(r: RoundSummaryView): number | null {
  return r.closedAt === null ? null : (r.closedAt - r.openedAt) / 1000;
}

function cell(row: HTMLTableRowElement, content: string | Node, label: string, value?: number | string | null): HTMLTableCellElement {
  const td = row.insertCell();
  td.append(content);
  td.setAttribute('aria-label', label);
  if (value !== undefined && value !== null) td.dataset['value'] = String(value);
  return td;
}

function modelLinks(runId: string, round: number): DocumentFragment {
  const frag = document.createDocumentFragment();
  const json = document.createElement('a');
  json.href = modelUrl(runId, round, 'model.json');
  json.textContent = 'model.json';
  json.setAttribute('download', `round-${round}-model.json`);
  const bin = document.createElement('a');
  bin.href = modelUrl(runId, round, 'weights.bin');
  bin.textContent = 'weights.bin';
  bin.setAttribute('download', 'weights.bin');
  frag.append(json, ' ', bin);
  return frag;
}

export function renderRoundsTable(tbody: HTMLTableSectionElement, list: RoundList, details: ReadonlyMap<number, RoundDetailView>): void {
  const rows: HTMLTableRowElement[] = [];
  const initial = document.createElement('tr');
  initial.dataset['round'] = '0';
  cell(initial, '0', 'round 0 (initial model)', 0);
  cell(initial, 'initial model', 'round 0 state');
  cell(initial, '–', 'round 0 participants');
  cell(initial, percent(list.initialEvaluations[0]?.accuracy), 'round 0 accuracy', list.initialEvaluations[0]?.accuracy);
  cell(initial, decimal(list.initialEvaluations[0]?.loss), 'round 0 loss', list.initialEvaluations[0]?.loss);
  for (const label of ["clients' accuracy", 'fusion time', 'round time', 'left out']) cell(initial, '–', `round 0 ${label}`);
  cell(initial, modelLinks(list.runId, 0), 'round 0 model');
  rows.push(initial);

  for (const r of list.rounds) {
    const detail = details.get(r.round);
    const tr = document.createElement('tr');
    tr.dataset['round'] = String(r.round);
    tr.dataset['state'] = r.state;
    const evaluation = r.evaluations[0];
    cell(tr, String(r.round), `round ${r.round} number`, r.round);
    cell(tr, r.attempt > 1 ? `${r.state} (attempt ${r.attempt})` : r.state, `round ${r.round} state`, r.state);
    cell(tr, String(r.participants), `round ${r.round} participants`, r.participants);
    cell(tr, percent(evaluation?.accuracy), `round ${r.round} accuracy`, evaluation?.accuracy);
    cell(tr, decimal(evaluation?.loss), `round ${r.round} loss`, evaluation?.loss);
    const own = clientAccuracies(detail).map((c) => c.accuracy);
    const ownText = own.length === 0 ? '–' : own.length === 1 ? percent(own[0]) : `${percent(Math.min(...own))} – ${percent(Math.max(...own))}`;
    cell(tr, ownText, `round ${r.round} clients' accuracy`);
    cell(tr, seconds(r.fusionSeconds), `round ${r.round} fusion time`, r.fusionSeconds);
    cell(tr, seconds(roundSeconds(r)), `round ${r.round} round time`, roundSeconds(r));
    const leftOut = leftOutOf(detail);
    const screened = leftOut.filter((f) => f.reason.startsWith('screened out'));
    const leftCell = cell(tr, '', `round ${r.round} left out`, leftOut.length);
    if (leftOut.length === 0) leftCell.append(r.failureReason ?? '–');
    else {
      const list = document.createElement('ul');
      list.className = 'reasons';
      for (const f of leftOut) {
        const li = document.createElement('li');
        if (screened.includes(f)) li.className = 'screened';
        li.textContent = `${f.clientId}: ${f.reason}`;
        list.append(li);
      }
      leftCell.append(list);
    }
    cell(tr, r.state === 'done' ? modelLinks(list.runId, r.round) : '–', `round ${r.round} model`);
    rows.push(tr);
  }
  tbody.replaceChildren(...rows);
}

export function renderRoundCharts(accuracyEl: Element, lossEl: Element, list: RoundList, details: ReadonlyMap<number, RoundDetailView>): void {
  const done = list.rounds.filter((r) => r.state === 'done' && r.evaluations.length > 0);
  const initial = list.initialEvaluations[0];
  const globalAccuracy: ChartPoint[] = [];
  const globalLoss: ChartPoint[] = [];
  if (initial !== undefined) {
    globalAccuracy.push({ x: 0, y: initial.accuracy, label: `initial model: accuracy ${percent(initial.accuracy)}` });
    globalLoss.push({ x: 0, y: initial.loss, label: `initial model: loss ${decimal(initial.loss)}` });
  }
  for (const r of done) {
    const e = r.evaluations[0]!;
    globalAccuracy.push({ x: r.round, y: e.accuracy, label: `round ${r.round}: accuracy ${percent(e.accuracy)}` });
    globalLoss.push({ x: r.round, y: e.loss, label: `round ${r.round}: loss ${decimal(e.loss)}` });
  }
  const clientPoints: ChartPoint[] = list.rounds.flatMap((r) =>
    clientAccuracies(details.get(r.round)).map((c) => ({ x: r.round, y: c.accuracy, label: `round ${r.round}: ${c.clientId} trained to ${percent(c.accuracy)}` })),
  );
  renderLineChart(accuracyEl, {
    description: `Accuracy of the global model over ${done.length} rounds${done.length > 0 ? `, latest ${percent(done.at(-1)!.evaluations[0]!.accuracy)}` : ''}`,
    xLabel: 'round',
    yLabel: 'accuracy',
    yFormat: (v) => `${Math.round(v * 100)}%`,
    yMin: 0,
    yMax: 1,
    series: [
      { className: 'clients', points: clientPoints, line: false, radius: 2.5 },
      { className: 'global', points: globalAccuracy, line: true, radius: 4 },
    ],
  });
  renderLineChart(lossEl, {
    description: `Test loss of the global model over ${done.length} rounds`,
    xLabel: 'round',
    yLabel: 'loss',
    yFormat: (v) => v.toFixed(2),
    yMin: 0,
    series: [{ className: 'global', points: globalLoss, line: true, radius: 4 }],
  });
}
