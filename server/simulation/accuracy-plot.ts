import { writeFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** One line of the plot: a label and its accuracy per round. */
export interface AccuracySeries {
  readonly label: string;
  /** 'global model' (solid) or 'client ensemble' (dashed). */
  readonly kind: 'global model' | 'client ensemble';
  readonly points: readonly { readonly round: number; readonly accuracy: number }[];
}

export interface AccuracyPlot {
  readonly title: string;
  readonly subtitle?: string;
  readonly series: readonly AccuracySeries[];
  /** Drawn as a dotted horizontal rule when given. */
  readonly target?: number;
}

/**
 * Accuracy against round, one colour per aggregator, solid for the global
 * model and dashed for the ensemble of that round's client models (the
 * ceiling a single fused model aims at; say so in the subtitle). A
 * vega-lite spec, rendered to SVG by vega's headless view.
 */
export function accuracyPlotSpec(plot: AccuracyPlot): TopLevelSpec {
  const values = plot.series.flatMap((s) => s.points.map((p) => ({ round: p.round, accuracy: p.accuracy, aggregator: s.label, series: s.kind })));
  const maxRound = Math.max(1, ...values.map((v) => v.round));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: plot.subtitle === undefined ? plot.title : { text: plot.title, subtitle: plot.subtitle },
    width: 560,
    height: 340,
    background: 'white',
    config: { font: 'DejaVu Sans' },
    layer: [
      {
        data: { values },
        mark: { type: 'line', point: { size: 40 }, strokeWidth: 2 },
        encoding: {
          x: { field: 'round', type: 'quantitative', title: 'round', scale: { domain: [0, maxRound] }, axis: { tickMinStep: 1, format: 'd' } },
          y: { field: 'accuracy', type: 'quantitative', title: 'test accuracy', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
          color: { field: 'aggregator', type: 'nominal', title: 'aggregator', legend: { labelLimit: 320, symbolType: 'stroke', symbolStrokeWidth: 3 } },
          strokeDash: {
            field: 'series',
            type: 'nominal',
            title: null,
            // vega draws no visible symbol for a dash legend on point-lines; the subtitle says solid vs dashed instead.
            legend: null,
            scale: { domain: ['global model', 'client ensemble'], range: [[1, 0], [6, 4]] },
          },
          tooltip: [{ field: 'aggregator' }, { field: 'series' }, { field: 'round' }, { field: 'accuracy', format: '.2%' }],
        },
      },
      ...(plot.target === undefined
        ? []
        : [
            {
              data: { values: [{ target: plot.target }] },
              mark: { type: 'rule' as const, strokeDash: [2, 3], color: '#888' },
              encoding: { y: { field: 'target', type: 'quantitative' as const } },
            },
          ]),
    ],
  };
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
