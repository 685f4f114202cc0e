/** How the dashboard writes numbers; tests format /api values with the same functions. */

export function percent(fraction: number | null | undefined): string {
  return typeof fraction === 'number' && Number.isFinite(fraction) ? `${(fraction * 100).toFixed(2)} %` : '–';
}

export function decimal(value: number | null | undefined, digits = 4): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '–';
}

export function seconds(value: number | null | undefined): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  return value < 10 ? `${value.toFixed(2)} s` : `${value.toFixed(1)} s`;
}

export function bytes(value: number | null | undefined): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  if (value < 1024) return `${value} B`;
  if (value < 1024 * 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${(value / 1024 / 1024).toFixed(2)} MiB`;
}

export function clockTime(unixMs: number | null | undefined): string {
  if (typeof unixMs !== 'number' || !Number.isFinite(unixMs)) return '–';
  return new Date(unixMs).toLocaleTimeString([], { hour12: false });
}

/** m:ss until a deadline; '–' when there is none. */
export function countdown(remainingMs: number | null): string {
  if (remainingMs === null) return '–';
  const s = Math.max(0, Math.ceil(remainingMs / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
