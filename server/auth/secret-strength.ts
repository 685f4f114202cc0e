import { FedfuseError } from '../../common/errors/index.ts';

/** What a secret must carry: 128 random bits (`openssl rand -hex 16` is exactly that). */
export const MIN_SECRET_BITS = 128;

/**
 * Less than random text of the same length: a per-character Shannon entropy
 * below this means repetition or a pattern ('aaaa...', 'abab...'). Random hex
 * of 32 characters measures 3.4-3.9 bits per character, random base64 of 22
 * about 4.2.
 */
const MIN_BITS_PER_CHARACTER = 3;

/**
 * Bits a secret can hold by its alphabet (hex 4 per character, base64 6, any
 * other printable text log2(95)), or 0 when its characters repeat too much
 * for it to be random. A guessable phrase with a varied alphabet still
 * passes: the check catches low-entropy mistakes, it cannot prove randomness;
 * the README says to generate secrets.
 */
export function estimatedSecretBits(secret: string): number {
  if (secret.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of secret) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let shannon = 0;
  for (const n of counts.values()) {
    const p = n / secret.length;
    shannon -= p * Math.log2(p);
  }
  if (shannon < MIN_BITS_PER_CHARACTER) return 0;
  return alphabetBits(secret);
}

/** What the secret's length and alphabet could hold at most. */
function alphabetBits(secret: string): number {
  const perCharacter = /^[0-9a-fA-F]+$/.test(secret) ? 4 : /^[A-Za-z0-9+/_=-]+$/.test(secret) ? 6 : Math.log2(95);
  return Math.floor(secret.length * perCharacter);
}

/**
 * Throws invalid_argument when `secret` cannot hold 128 random bits; `what`
 * names it in the message (e.g. `the client-token secret (--secret)`). The
 * secret itself is never part of the message.
 */
export function checkSecretStrength(secret: string, what: string): void {
  const bits = estimatedSecretBits(secret);
  if (bits >= MIN_SECRET_BITS) return;
  const most = alphabetBits(secret);
  const why = most < MIN_SECRET_BITS ? `it can hold at most ${most} bits` : 'its characters repeat like no random string does';
  throw new FedfuseError(
    'invalid_argument',
    `${what} is too weak (${secret.length} characters; ${why}): use at least ${MIN_SECRET_BITS} random bits, e.g. $(openssl rand -hex 16)`,
  );
}
