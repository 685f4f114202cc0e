/**
 * A small line chart drawn as SVG by hand. Why not a chart library: the page
 * must stay far under 1 MB and works under a strict CSP (no inline styles,
 * no eval); the charts needed are two plots of a few hundred points at most;
 * and SVG points are DOM elements with titles, so screen readers and tests
 * read each value (a canvas chart such as uPlot or Chart.js shows pixels
 * only). The whole chart is about 150 lines and 0 dependencies.
 */
export interface ChartPoint {
  readonly x: number;
  readonly y: number;
  /** Read by screen readers and shown as a tooltip. */
  readonly label: string;
}

export interface ChartSeries {
  /** CSS class of the series' marks (colours live in style.css). */
  readonly className: string;
  readonly points: readonly ChartPoint[];
  /** Join the points with a line (the global model), or leave them as dots (clients). */
  readonly line: boolean;
  readonly radius: number;
}

export interface ChartSpec {
  /** Said by screen readers for the whole chart. */
  readonly description: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly yFormat: (value: number) => string;
  /** Fixed y range (accuracy: 0..1); otherwise from the data. */
  readonly yMin?: number;
  readonly yMax?: number;
  readonly series: readonly ChartSeries[];
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 560;
const HEIGHT = 240;
const MARGIN = { left: 52, right: 14, top: 12, bottom: 36 };

/** Replaces the container's chart with one drawn from `spec`. */
export function renderLineChart(container: Element, spec: ChartSpec): void {
  const all = spec.series.flatMap((s) => s.points);
  const xs = all.map((p) => p.x);
  const ys = all.map((p) => p.y).filter(Number.isFinite);
  const xMin = Math.min(0, ...xs);
  const xMax = Math.max(xMin + 1, ...xs);
  let yMin = spec.yMin ?? (ys.length > 0 ? Math.min(...ys) : 0);
  let yMax = spec.yMax ?? (ys.length > 0 ? Math.max(...ys) : 1);
  if (yMax - yMin < 1e-9) {
    yMin -= 0.5;
    yMax += 0.5;
  }
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const sx = (x: number): number => MARGIN.left + ((x - xMin) / (xMax - xMin)) * plotW;
  const sy = (y: number): number => MARGIN.top + (1 - (y - yMin) / (yMax - yMin)) * plotH;

  const svg = el('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': spec.description, class: 'chart-svg' });
  const axes = el('g', { class: 'axes' });
  axes.append(el('line', { x1: MARGIN.left, y1: MARGIN.top + plotH, x2: MARGIN.left + plotW, y2: MARGIN.top + plotH }));
  axes.append(el('line', { x1: MARGIN.left, y1: MARGIN.top, x2: MARGIN.left, y2: MARGIN.top + plotH }));
  for (const y of ticks(yMin, yMax, 5)) {
    axes.append(el('line', { class: 'grid', x1: MARGIN.left, y1: sy(y), x2: MARGIN.left + plotW, y2: sy(y) }));
    axes.append(text(spec.yFormat(y), MARGIN.left - 6, sy(y) + 4, 'end'));
  }
  for (const x of integerTicks(xMin, xMax, 10)) axes.append(text(String(x), sx(x), MARGIN.top + plotH + 16, 'middle'));
  axes.append(text(spec.xLabel, MARGIN.left + plotW / 2, HEIGHT - 4, 'middle'));
  const yTitle = text(spec.yLabel, 12, MARGIN.top + plotH / 2, 'middle');
  yTitle.setAttribute('transform', `rotate(-90 12 ${MARGIN.top + plotH / 2})`);
  axes.append(yTitle);
  svg.append(axes);

  for (const series of spec.series) {
    const g = el('g', { class: `series ${series.className}` });
    const points = series.points.filter((p) => Number.isFinite(p.y));
    if (series.line && points.length > 1) {
      const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
      g.append(el('path', { d, class: 'line' }));
    }
    for (const p of points) {
      const dot = el('circle', { cx: sx(p.x).toFixed(1), cy: sy(p.y).toFixed(1), r: series.radius, class: 'point', 'data-x': p.x, 'data-y': p.y });
      const title = document.createElementNS(SVG_NS, 'title');
      title.textContent = p.label;
      dot.append(title);
      g.append(dot);
    }
    svg.append(g);
  }
  container.replaceChildren(svg);
}

function el(name: string, attrs: Record<string, string | number>): SVGElement {
  const node = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

function text(content: string, x: number, y: number, anchor: 'start' | 'middle' | 'end'): SVGElement {
  const t = el('text', { x: x.toFixed(1), y: y.toFixed(1), 'text-anchor': anchor });
  t.textContent = content;
  return t;
}

/** About `count` round-numbered ticks covering [min, max]. */
export function ticks(min: number, max: number, count: number): number[] {
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function integerTicks(min: number, max: number, most: number): number[] {
  const step = Math.max(1, Math.ceil((max - min) / most));
  const out: number[] = [];
  for (let v = Math.ceil(min); v <= max; v += step) out.push(v);
  return out;
}
