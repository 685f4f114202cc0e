import { FedfuseError } from '../errors/index.ts';

/**
 * A one-to-one mapping between a domain string union and a protobuf enum.
 * The table is a `Record` over the domain values, so TypeScript refuses a
 * table that forgets one; the reverse direction (every proto value has a
 * domain value) is checked by tests against the generated enum.
 */
export interface EnumMapping<D extends string, P extends number> {
  readonly protoEnumName: string;
  toProto(value: D): P;
  /** Throws bad_message for UNSPECIFIED (0, also what an absent field reads as) and for numbers this build does not know. */
  fromProto(value: P | null | undefined, what: string): D;
}

export function enumMapping<D extends string, P extends number>(protoEnumName: string, table: Readonly<Record<D, P>>): EnumMapping<D, P> {
  const byNumber = new Map<number, D>();
  for (const [domain, proto] of Object.entries(table) as [D, P][]) {
    if (proto === 0) throw new Error(`${protoEnumName}: 0 is reserved for UNSPECIFIED, "${domain}" cannot map to it`);
    if (byNumber.has(proto)) throw new Error(`${protoEnumName}: ${proto} is mapped twice`);
    byNumber.set(proto, domain);
  }
  return {
    protoEnumName,
    toProto(value: D): P {
      const proto = table[value];
      // Reachable only when a caller bypassed the types (e.g. a value read from JSON).
      if (proto === undefined) throw new FedfuseError('invalid_argument', `${protoEnumName}: no wire value for "${String(value)}"`);
      return proto;
    },
    fromProto(value: P | null | undefined, what: string): D {
      if (value === null || value === undefined || value === 0) {
        throw new FedfuseError('bad_message', `${what}: ${protoEnumName} is unspecified`);
      }
      const domain = byNumber.get(value);
      if (domain === undefined) throw new FedfuseError('bad_message', `${what}: unknown ${protoEnumName} value ${value}`);
      return domain;
    },
  };
}
