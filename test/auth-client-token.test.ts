import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminTokenMatches, mintClientToken, verifyClientToken } from '../server/auth/index.ts';
import { isFedfuseError } from '../common/errors/index.ts';

const secret = 'a-server-secret-of-enough-length';

test('a minted token verifies to its client id; expiry is honoured', () => {
  const now = 1_700_000_000_000;
  const t = mintClientToken(secret, 'client-7', now + 60_000);
  assert.deepEqual(verifyClientToken(secret, t, now), { clientId: 'client-7', expiresAtMs: now + 60_000 });
  assert.throws(() => verifyClientToken(secret, t, now + 60_000), (e) => isFedfuseError(e, 'unauthenticated') && /expired/.test(e.message));
  const forever = mintClientToken(secret, 'c', 0);
  assert.equal(verifyClientToken(secret, forever, Number.MAX_SAFE_INTEGER).clientId, 'c');
});

test('tampered, foreign-secret, malformed and missing tokens are refused as unauthenticated', () => {
  const t = mintClientToken(secret, 'alice');
  const [prefix, payload, sig] = t.split('.') as [string, string, string];
  const bobPayload = Buffer.from(JSON.stringify({ c: 'bob', e: 0 })).toString('base64url');
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
  assert.throws(() => mintClientToken(secret, 'ok', -1), (e) => isFedfuseError(e, 'invalid_argument'));
});

test('admin token comparison', () => {
  assert.equal(adminTokenMatches('s3cret', 's3cret'), true);
  assert.equal(adminTokenMatches('s3cret', 's3cret '), false);
  assert.equal(adminTokenMatches('s3cret', undefined), false);
  assert.equal(adminTokenMatches('', ''), false);
});
