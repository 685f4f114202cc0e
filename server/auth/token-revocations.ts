import type { ClientTokenClaims } from './client-token.ts';

/**
 * A revocation as the store keeps it: one token (`tokenId`), or every token
 * of a client issued at or before `revokedAtMs` (`tokenId` null), so tokens
 * minted for it afterwards work again.
 */
export interface TokenRevocation {
  readonly clientId: string;
  readonly tokenId: string | null;
  readonly revokedAtMs: number;
}

/** Whether `revocation` covers the token `claims` describe. */
export function revokes(revocation: TokenRevocation, claims: ClientTokenClaims): boolean {
  if (revocation.clientId !== claims.clientId) return false;
  return revocation.tokenId === null ? claims.issuedAtMs <= revocation.revokedAtMs : revocation.tokenId === claims.tokenId;
}

/**
 * Every revocation this server knows, in memory for the connection gate (a
 * lookup per connection request, no store read): loaded from the store at
 * start-up and added to as the admin route revokes. A revocation made by
 * another node sharing a PostgreSQL store reaches this one at its next start
 * (docs/security.md, not defended).
 */
export class TokenRevocationList {
  private readonly byClient = new Map<string, TokenRevocation[]>();

  constructor(initial: readonly TokenRevocation[] = []) {
    for (const r of initial) this.add(r);
  }

  add(revocation: TokenRevocation): void {
    const list = this.byClient.get(revocation.clientId) ?? [];
    list.push(revocation);
    this.byClient.set(revocation.clientId, list);
  }

  /** Why the token is refused ('revoked at ...'), or null. */
  refusal(claims: ClientTokenClaims): string | null {
    const hit = this.byClient.get(claims.clientId)?.find((r) => revokes(r, claims));
    return hit === undefined ? null : describeRevocation(hit);
  }
}

/** `client token revoked: ... at <ISO time>`, for refusals and cut sessions. */
export function describeRevocation(r: TokenRevocation): string {
  const which = r.tokenId === null ? `every token of client "${r.clientId}" issued until then` : `this token of client "${r.clientId}"`;
  return `client token revoked: ${which} was revoked at ${new Date(r.revokedAtMs).toISOString()}`;
}
