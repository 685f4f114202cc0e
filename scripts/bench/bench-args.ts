/** Command-line helpers shared by the benchmark scripts. */

export function positiveInt(text: string | undefined, fallback: number, flag: string): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got "${text}"`);
  return n;
}

/** `--only a,b` (or another list flag): the named parts, each checked against `parts`; `defaults` when the flag is absent. */
export function selectedParts<P extends string>(text: string | undefined, parts: readonly P[], defaults: readonly P[] = parts, flag = '--only'): Set<P> {
  return new Set<P>(
    (text ?? defaults.join(','))
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map((s) => {
        if (!(parts as readonly string[]).includes(s)) throw new Error(`${flag}: unknown value "${s}"; use ${parts.join(', ')}`);
        return s as P;
      }),
  );
}
