import { FedfuseError } from '../errors/index.ts';

/**
 * The header of a NumPy .npy file
 * (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
 * a Python dict literal such as
 *   {'descr': '<f4', 'fortran_order': False, 'shape': (10, 784), }
 * We parse exactly that grammar (string keys; string, bool and int-tuple
 * values) rather than evaluating anything, and reject whatever else.
 */
export interface NpyHeader {
  readonly descr: string;
  readonly fortranOrder: boolean;
  readonly shape: number[];
}

type Literal = string | boolean | number[];

export function parseNpyHeader(text: string, source: string): NpyHeader {
  const fields = new PythonDictParser(text, source).parse();
  const descr = fields.get('descr');
  const fortranOrder = fields.get('fortran_order');
  const shape = fields.get('shape');
  const bad = (why: string): FedfuseError => new FedfuseError('bad_message', `${source}: bad .npy header: ${why}`);
  if (typeof descr !== 'string') throw bad(`'descr' must be a string (structured dtypes are not supported)`);
  if (typeof fortranOrder !== 'boolean') throw bad(`'fortran_order' must be True or False`);
  if (!Array.isArray(shape)) throw bad(`'shape' must be a tuple of integers`);
  return { descr, fortranOrder, shape };
}

/** The header dict text for an array, without padding. */
export function formatNpyHeader(header: NpyHeader): string {
  const shape = header.shape.length === 1 ? `(${header.shape[0]},)` : `(${header.shape.join(', ')})`;
  return `{'descr': '${header.descr}', 'fortran_order': ${header.fortranOrder ? 'True' : 'False'}, 'shape': ${shape}, }`;
}

class PythonDictParser {
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly source: string,
  ) {}

  parse(): Map<string, Literal> {
    const fields = new Map<string, Literal>();
    this.expect('{');
    for (;;) {
      this.skipSpace();
      if (this.peek() === '}') break;
      const key = this.string();
      this.expect(':');
      fields.set(key, this.value());
      this.skipSpace();
      if (this.peek() === ',') {
        this.at++;
        continue;
      }
      if (this.peek() !== '}') throw this.error(`expected ',' or '}'`);
    }
    this.at++;
    this.skipSpace();
    if (this.at !== this.text.length) throw this.error('text after the closing brace');
    return fields;
  }

  private value(): Literal {
    this.skipSpace();
    const c = this.peek();
    if (c === "'" || c === '"') return this.string();
    if (c === '(') return this.intTuple();
    for (const [word, v] of [['True', true], ['False', false]] as const) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return v;
      }
    }
    throw this.error('expected a string, a tuple, True or False');
  }

  private string(): string {
    this.skipSpace();
    const quote = this.peek();
    if (quote !== "'" && quote !== '"') throw this.error('expected a quoted string');
    const end = this.text.indexOf(quote, this.at + 1);
    if (end < 0) throw this.error('unterminated string');
    const s = this.text.slice(this.at + 1, end);
    this.at = end + 1;
    return s;
  }

  private intTuple(): number[] {
    this.expect('(');
    const items: number[] = [];
    for (;;) {
      this.skipSpace();
      if (this.peek() === ')') break;
      // Python 2 wrote longs with an L suffix: (10L, 784L).
      const m = /^(\d+)L?/.exec(this.text.slice(this.at));
      if (!m) throw this.error('expected a non-negative integer');
      items.push(Number(m[1]));
      this.at += m[0].length;
      this.skipSpace();
      if (this.peek() === ',') this.at++;
      else if (this.peek() !== ')') throw this.error(`expected ',' or ')'`);
    }
    this.at++;
    if (items.some((d) => !Number.isSafeInteger(d))) throw this.error('dimension too large');
    return items;
  }

  private expect(c: string): void {
    this.skipSpace();
    if (this.peek() !== c) throw this.error(`expected '${c}'`);
    this.at++;
  }

  private skipSpace(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at]!)) this.at++;
  }

  private peek(): string | undefined {
    return this.text[this.at];
  }

  private error(why: string): FedfuseError {
    return new FedfuseError('bad_message', `${this.source}: bad .npy header at character ${this.at}: ${why}`);
  }
}
