import { InvalidArgumentError } from 'commander';

/** Commander argument parsers that reject what is not a number, with the value in the message. */
export function int(value: string): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`"${value}" is not an integer.`);
  return n;
}

export function num(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`"${value}" is not a number.`);
  return n;
}

/** Collects a repeatable option into an array. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function positiveSeconds(value: string): number {
  const n = num(value);
  if (n <= 0) throw new InvalidArgumentError(`"${value}" is not a positive number of seconds.`);
  return n;
}

/** A fraction in (0, 1], e.g. --width-capacity 0.5. */
export function widthFraction(value: string): number {
  const n = num(value);
  if (!(n > 0 && n <= 1)) throw new InvalidArgumentError(`"${value}" is not a fraction in (0, 1].`);
  return n;
}
