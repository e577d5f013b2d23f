import type { Result } from 'neverthrow';

/** The roles a bearer token may carry; a token may carry several (an identity provider's roles claim is a list). */
export const ROLES = ['customer', 'support', 'operator', 'service'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** Who a verified token says the caller is: its subject (recorded as the actor of every event it causes) and its roles. */
export interface Principal {
  readonly subject: string;
  readonly roles: readonly Role[];
}

/** Why a bearer token was not accepted. */
export type TokenRejection =
  | { readonly kind: 'invalid'; readonly reason: string }
  /** The keys to check it with could not be fetched (the identity provider's JWKS is down): not the caller's fault. */
  | { readonly kind: 'keys-unavailable'; readonly reason: string };

/** Verifies a compact JWS bearer token: signature, issuer, audience, expiry, subject and roles. */
export interface TokenVerifier {
  verify(token: string): Promise<Result<Principal, TokenRejection>>;
}
