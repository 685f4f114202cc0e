import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminTokenMatches, checkSecretStrength, DEFAULT_TOKEN_LIFETIME_MS, estimatedSecretBits, mintClientToken, mintClientTokenWithClaims, verifyClientToken } from '../server/auth/index.ts';
import { isFedfuseError } from '../common/errors/index.ts';

const secret = 'a-server-secret-of-enough-length';

test('a minted token verifies to its client id, a random id and its issue time; expiry is honoured', () => {
  const now = 1_700_000_000_000;
  const { token: t, claims } = mintClientTokenWithClaims(secret, 'client-7', { issuedAtMs: now, expiresAtMs: now + 60_000 });
  assert.match(claims.tokenId, /^[A-Za-z0-9_-]{22}$/);
  assert.deepEqual(verifyClientToken(secret, t, now), { clientId: 'client-7', tokenId: claims.tokenId, issuedAtMs: now, expiresAtMs: now + 60_000 });
  assert.throws(() => verifyClientToken(secret, t, now + 60_000), (e) => isFedfuseError(e, 'unauthenticated') && /expired/.test(e.message));
  // Two tokens for one client differ (no deterministic token per client id).
  assert.notEqual(mintClientToken(secret, 'c', { issuedAtMs: now }), mintClientToken(secret, 'c', { issuedAtMs: now }));
  // The default lifetime is 30 days.
  const fresh = verifyClientToken(secret, mintClientToken(secret, 'c', { issuedAtMs: now }), now);
  assert.equal(fresh.expiresAtMs - fresh.issuedAtMs, DEFAULT_TOKEN_LIFETIME_MS);
  assert.throws(() => verifyClientToken(secret, mintClientToken(secret, 'c', { issuedAtMs: now }), now + DEFAULT_TOKEN_LIFETIME_MS), /expired/);
});

test('an ff1 token (no id, no issue time) is refused with a message saying to mint a new one', () => {
  const payload = Buffer.from(JSON.stringify({ c: 'old', e: 0 })).toString('base64url');
  assert.throws(() => verifyClientToken(secret, `ff1.${payload}.AAAA`, Date.now()), (e) => isFedfuseError(e, 'unauthenticated') && /old ff1 format.*fedfuse token/.test(e.message));
});

test('weak secrets are refused without being echoed; generated ones pass', () => {
  const weak = ['aaaaaaaaaaaaaaaa', 'abababababababababababababababab', '0123012301230123012301230123', 'short', '0123456789abcdef', ''];
  for (const w of weak) {
    assert.throws(
      () => checkSecretStrength(w, 'the secret (--secret)'),
      (e) => isFedfuseError(e, 'invalid_argument') && /too weak/.test(e.message) && (w.length < 4 || !e.message.includes(w)),
      w,
    );
    assert.throws(() => mintClientToken(w, 'a'), (e) => isFedfuseError(e, 'invalid_argument'));
  }
  // openssl rand -hex 16 / -base64 16, and node's randomBytes: 128 bits.
  for (let i = 0; i < 200; i++) {
    const bytes = new Uint8Array(16).map(() => Math.floor(Math.random() * 256));
    assert.ok(estimatedSecretBits(Buffer.from(bytes).toString('hex')) >= 128);
    assert.ok(estimatedSecretBits(Buffer.from(bytes).toString('base64')) >= 128);
  }
});

test('tampered, foreign-secret, malformed and missing tokens are refused as unauthenticated', () => {
  const t = mintClientToken(secret, 'alice');
  const [prefix, payload, sig] = t.split('.') as [string, string, string];
  const bobPayload = Buffer.from(JSON.stringify({ c: 'bob', i: 'A'.repeat(22), t: 1, e: Date.now() + 60_000 })).toString('base64url');
  const cases: unknown[] = [
    `${prefix}.${bobPayload}.${sig}`, // claims another id with alice's signature
    mintClientToken('another-secret-of-enough-length', 'alice'),
    `${prefix}.${payload}.${sig.slice(0, -2)}AA`,
    'garbage',
    '',
    undefined,
    42,
    `xx1.${payload}.${sig}`,
    'a'.repeat(5000),
  ];
  for (const c of cases) {
    assert.throws(() => verifyClientToken(secret, c, Date.now()), (e) => isFedfuseError(e, 'unauthenticated'), String(c).slice(0, 40));
  }
});

test('minting validates its inputs', () => {
  assert.throws(() => mintClientToken('short', 'a'), (e) => isFedfuseError(e, 'invalid_argument'));
  assert.throws(() => mintClientToken(secret, 'bad id with spaces'), (e) => isFedfuseError(e, 'invalid_argument'));
  assert.throws(() => mintClientToken(secret, 'ok', { expiresAtMs: -1 }), (e) => isFedfuseError(e, 'invalid_argument'));
  assert.throws(() => mintClientToken(secret, 'ok', { issuedAtMs: 10, expiresAtMs: 10 }), (e) => isFedfuseError(e, 'invalid_argument'));
  assert.throws(() => mintClientToken(secret, 'ok', { issuedAtMs: 0, expiresAtMs: 11 * 365 * 24 * 3600 * 1000 }), /ten years/);
});

test('admin token comparison', () => {
  assert.equal(adminTokenMatches('s3cret', 's3cret'), true);
  assert.equal(adminTokenMatches('s3cret', 's3cret '), false);
  assert.equal(adminTokenMatches('s3cret', undefined), false);
  assert.equal(adminTokenMatches('', ''), false);
});
