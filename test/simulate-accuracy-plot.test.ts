import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracyPlotSpec, renderPlotSvg, type AccuracySeries } from '../server/simulation/index.ts';

const points = (base: number): AccuracySeries['points'] =>
  Array.from({ length: 4 }, (_, round) => ({ round, accuracy: base + 0.05 * round, lower: base - 0.03 + 0.05 * round, upper: base + 0.03 + 0.05 * round }));

test('plot legend: one swatch per arm, drawn in its line\'s colour at full opacity (not the band\'s pale fill)', async () => {
  const svg = await renderPlotSvg(
    accuracyPlotSpec({
      title: 'legend',
      target: 0.8,
      series: [
        { label: 'kf-linear (uniform)', kind: 'global model', points: points(0.5) },
        { label: 'fedavg', kind: 'global model', points: points(0.4) },
        { label: 'fedavg', kind: "clients' ensemble", points: points(0.3).map(({ round, accuracy }) => ({ round, accuracy })) },
      ],
    }),
  );
  const lineColours = new Set([...svg.matchAll(/class="mark-line role-mark[^"]*"[^>]*>\s*<path[^>]*stroke="(#[0-9a-f]+)"/g)].map((m) => m[1]));
  const swatches = [...svg.matchAll(/class="mark-symbol role-legend-symbol"[^>]*><path[^>]*stroke="(#[0-9a-f]+)"[^>]*opacity="([0-9.]+)"/g)].map((m) => ({ colour: m[1], opacity: Number(m[2]) }));
  const labels = [...svg.matchAll(/class="mark-text role-legend-label"[^>]*><text[^>]*>([^<]+)</g)].map((m) => m[1]);
  assert.deepEqual(labels, ['kf-linear (uniform)', 'fedavg']);
  assert.equal(swatches.length, 2);
  assert.equal(lineColours.size, 2, svg.slice(0, 200));
  for (const s of swatches) {
    assert.equal(s.opacity, 1);
    assert.ok(lineColours.has(s.colour), `swatch ${s.colour} is not a line colour (${[...lineColours].join(', ')})`);
  }
});
