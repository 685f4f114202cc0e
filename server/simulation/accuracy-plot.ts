import { writeFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** One line of the plot: a label and its accuracy per round (with a band, e.g. ± one std over seeds, when lower/upper are given). */
export interface AccuracySeries {
  readonly label: string;
  /** 'global model' (solid, the served model) or "clients' ensemble" (dashed: the round's client models' averaged softmax). */
  readonly kind: 'global model' | "clients' ensemble";
  readonly points: readonly { readonly round: number; readonly accuracy: number; readonly lower?: number; readonly upper?: number }[];
}

export interface AccuracyPlot {
  readonly title: string;
  readonly subtitle?: string;
  readonly series: readonly AccuracySeries[];
  /** Drawn as a dotted horizontal rule when given. */
  readonly target?: number;
}

/**
 * Accuracy against round, one colour per aggregator, solid for the served
 * global model (with a shaded band where the series has one) and dashed for
 * the clients' ensemble; the y-axis fitted to the data (and the target),
 * not 0-100 %; the target as a labelled dotted rule. A vega-lite spec,
 * rendered to SVG by vega's headless view.
 */
export function accuracyPlotSpec(plot: AccuracyPlot): TopLevelSpec {
  const values = plot.series.flatMap((s) => s.points.map((p) => ({ round: p.round, accuracy: p.accuracy, aggregator: s.label, series: s.kind })));
  const bands = plot.series.flatMap((s) =>
    s.points.flatMap((p) => (p.lower === undefined || p.upper === undefined ? [] : [{ round: p.round, lower: p.lower, upper: p.upper, aggregator: s.label }])),
  );
  const maxRound = Math.max(1, ...values.map((v) => v.round));
  const domain = fittedDomain([...values.map((v) => v.accuracy), ...bands.flatMap((b) => [b.lower, b.upper]), ...(plot.target === undefined ? [] : [plot.target])]);
  const y = { field: 'accuracy', type: 'quantitative' as const, title: 'test accuracy', scale: { domain, zero: false, clamp: true }, axis: { format: '.0%' } };
  const x = { field: 'round', type: 'quantitative' as const, title: 'round', scale: { domain: [0, maxRound] }, axis: { tickMinStep: 1, format: 'd' } };
  // One explicit domain for the lines' colour and the bands' fill, so both channels give an arm the same colour.
  const arms = [...new Set(plot.series.map((s) => s.label))];
  const color = { field: 'aggregator', type: 'nominal' as const, title: 'aggregator', scale: { domain: arms }, legend: { labelLimit: 320, symbolType: 'stroke', symbolStrokeWidth: 3, symbolOpacity: 1 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    // The subtitle on several lines (at '; '), so that it does not widen the picture.
    title: plot.subtitle === undefined ? plot.title : { text: plot.title, subtitle: plot.subtitle.split('; ') },
    width: 560,
    height: 340,
    background: 'white',
    config: { font: 'DejaVu Sans' },
    // The bands' fill has no legend of its own: merged with the lines' it drew each arm's swatch in the band's pale fill.
    resolve: { legend: { fill: 'independent' } },
    layer: [
      ...(bands.length === 0
        ? []
        : [
            {
              data: { values: bands },
              mark: { type: 'area' as const, opacity: 0.18, clip: true },
              encoding: { x, y: { ...y, field: 'lower' }, y2: { field: 'upper' }, fill: { field: 'aggregator', type: 'nominal' as const, scale: { domain: arms }, title: 'aggregator', legend: null } },
            },
          ]),
      {
        data: { values },
        mark: { type: 'line', point: { size: 40 }, strokeWidth: 2, clip: true },
        encoding: {
          x,
          y,
          color,
          strokeDash: {
            field: 'series',
            type: 'nominal',
            title: null,
            // vega draws no visible symbol for a dash legend on point-lines; the subtitle says solid vs dashed instead.
            legend: null,
            scale: { domain: ['global model', "clients' ensemble"], range: [[1, 0], [6, 4]] },
          },
          tooltip: [{ field: 'aggregator' }, { field: 'series' }, { field: 'round' }, { field: 'accuracy', format: '.2%' }],
        },
      },
      ...(plot.target === undefined
        ? []
        : [
            {
              data: { values: [{ target: plot.target, label: `target ${(plot.target * 100).toFixed(0)}%` }] },
              layer: [
                { mark: { type: 'rule' as const, strokeDash: [2, 3], color: '#666' }, encoding: { y: { field: 'target', type: 'quantitative' as const, scale: { domain } } } },
                {
                  mark: { type: 'text' as const, align: 'left' as const, baseline: 'bottom' as const, dx: 4, dy: -2, color: '#444', fontSize: 11 },
                  encoding: { y: { field: 'target', type: 'quantitative' as const, scale: { domain } }, x: { datum: 0, type: 'quantitative' as const, scale: { domain: [0, maxRound] } }, text: { field: 'label' } },
                },
              ],
            },
          ]),
    ],
  };
}

/** A y range around the values with a little room, on 5-point steps, within [0, 1]. */
export function fittedDomain(values: readonly number[]): [number, number] {
  if (values.length === 0) return [0, 1];
  const lo = Math.max(0, Math.floor((Math.min(...values) - 0.01) * 20) / 20);
  const hi = Math.min(1, Math.ceil((Math.max(...values) + 0.01) * 20) / 20);
  return hi > lo ? [lo, hi] : [Math.max(0, lo - 0.05), Math.min(1, hi + 0.05)];
}

/** The plot as SVG text (vega, no browser). */
export async function renderPlotSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** SVG to PNG with resvg, at twice the SVG's size, with the system's fonts. */
export function svgToPng(svg: string): Buffer {
  return new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'zoom', value: 2 }, background: 'white' })
    .render()
    .asPng();
}

/** Writes `<base>.svg` and `<base>.png`; returns both paths. */
export async function writeAccuracyPlot(plot: AccuracyPlot, base: string): Promise<{ svg: string; png: string }> {
  const svg = await renderPlotSvg(accuracyPlotSpec(plot));
  const files = { svg: `${base}.svg`, png: `${base}.png` };
  writeFileSync(files.svg, svg);
  writeFileSync(files.png, svgToPng(svg));
  return files;
}
