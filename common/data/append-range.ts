/**
 * Appends source[from .. to) to target. A loop, not `target.push(...slice)`:
 * spreading a few hundred thousand indices as call arguments overflows the stack.
 */
export function appendRange(target: number[], source: readonly number[], from: number, to: number = source.length): void {
  for (let i = from; i < to; i++) target.push(source[i]!);
}
