/** A cell that reads as a number (or a missing one): such columns are right-aligned. */
function numeric(text: string): boolean {
  return text === '' || /^[-+–]?\d|^–$/.test(text);
}

/** A GitHub-flavoured markdown table; columns of numbers are right-aligned, text columns left-aligned. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const right = header.map((_, c) => c > 0 && rows.every((r) => numeric(r[c] ?? '')));
  const cell = (text: string, c: number): string => (right[c] ? text.padStart(widths[c]!) : text.padEnd(widths[c]!));
  const line = (cells: readonly string[]): string => `| ${cells.map((t, c) => cell(t, c)).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (right[c] ? ` ${'-'.repeat(w - 1)}: ` : ` ${'-'.repeat(w)} `)).join('|')}|`;
  return [line(header), rule, ...rows.map((r) => line(header.map((_, c) => r[c] ?? '')))].join('\n');
}

/** 0.9123 -> "91.2" (accuracy in percent, one decimal). */
export function pct(x: number): string {
  return Number.isFinite(x) ? (100 * x).toFixed(1) : '–';
}

/** Seconds with a precision that suits their size. */
export function secs(x: number): string {
  if (!Number.isFinite(x)) return '–';
  return x < 0.01 ? x.toFixed(4) : x < 10 ? x.toFixed(2) : x.toFixed(1);
}

/** A signed difference in percentage points: +1.2, -0.3. */
export function points(x: number): string {
  if (!Number.isFinite(x)) return '–';
  const v = 100 * x;
  return `${v >= 0 ? '+' : ''}${v.toFixed(1)}`;
}
