/**
 * Round metrics are stored as JSON, which has no NaN or Infinity (the store
 * refuses them rather than silently writing null). A strategy may well
 * compute "not applicable" as NaN — e.g. the agreement of the only update in
 * a round, which has nobody to agree with — and that must not fail the round:
 * non-finite numbers become null here, at the one place metrics are stored.
 */
export function jsonSafeMetrics(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(jsonSafeMetrics);
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafeMetrics(v)]));
  }
  return value;
}
