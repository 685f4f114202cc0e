/** Command-line helpers shared by the benchmark scripts. */

export function positiveInt(text: string | undefined, fallback: number, flag: string): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got "${text}"`);
  return n;
}

/** `--only a,b`: the named parts, each checked against `parts`; `defaults` when the flag is absent. */
export function selectedParts<P extends string>(text: string | undefined, parts: readonly P[], defaults: readonly P[] = parts): Set<P> {
  return new Set<P>(
    (text ?? defaults.join(','))
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map((s) => {
        if (!(parts as readonly string[]).includes(s)) throw new Error(`--only: unknown part "${s}"; parts are ${parts.join(', ')}`);
        return s as P;
      }),
  );
}
