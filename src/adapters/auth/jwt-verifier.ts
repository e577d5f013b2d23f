import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type CryptoKey } from 'jose';
import { err, ok, type Result } from 'neverthrow';
import { containsCardNumber } from '../../domain/index.js';
import { isRole, type Principal, type TokenRejection, type TokenVerifier } from './principal.js';

/** Asymmetric signatures only: a shared-secret (HS*) token could be minted by anyone who can verify one. */
export const ACCEPTED_ALGORITHMS = ['EdDSA', 'Ed25519', 'ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];

/** The subject becomes the actor in stored metadata and log lines: visible ASCII, bounded, never a card number. */
const SUBJECT = /^[\x21-\x7e]{1,128}$/;

export interface JwtVerifierSettings {
  readonly issuer: string;
  readonly audience: string;
  /** Where the roles are in the payload: a top-level claim or a dotted path (`realm_access.roles`); a string or a list of strings. */
  readonly rolesClaim: string;
  /** Leeway for clocks that disagree, on `exp` and `nbf`. */
  readonly clockToleranceSeconds: number;
}

const claimAt = (payload: JWTPayload, path: string): unknown =>
  path.split('.').reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), payload);

const invalid = <T>(reason: string): Result<T, TokenRejection> => err({ kind: 'invalid', reason });

/** What went wrong, in words a client can act on; never the token itself. */
const rejectionOf = (error: unknown): TokenRejection => {
  if (error instanceof errors.JWTExpired) return { kind: 'invalid', reason: 'the token expired' };
  if (error instanceof errors.JWTClaimValidationFailed) return { kind: 'invalid', reason: `the token's ${error.claim} claim is not accepted (${error.reason})` };
  if (error instanceof errors.JWSSignatureVerificationFailed) return { kind: 'invalid', reason: 'the token signature does not verify' };
  if (error instanceof errors.JWKSNoMatchingKey) return { kind: 'invalid', reason: 'no key of the issuer matches the token (kid and alg)' };
  if (error instanceof errors.JOSEAlgNotAllowed) return { kind: 'invalid', reason: `the token's algorithm is not accepted; accepted: ${ACCEPTED_ALGORITHMS.join(', ')}` };
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return { kind: 'keys-unavailable', reason: 'the identity provider\'s keys could not be fetched' };
  if (error instanceof errors.JOSEError) return { kind: 'invalid', reason: 'the token is malformed' };
  // A network failure fetching the JWKS (connection refused, DNS) reaches here as a plain error.
  if (error instanceof TypeError || (error instanceof Error && 'code' in error)) return { kind: 'keys-unavailable', reason: 'the identity provider\'s keys could not be fetched' };
  return { kind: 'invalid', reason: 'the token is malformed' };
};

/** Bearer JWTs checked with jose against one public key (the local signing key) or a JWKS (an OIDC provider). */
/** How long a verified token is taken on trust again without checking its signature; never past its own expiry. */
const TRUST_AGAIN_MS = 60_000;
const TRUSTED_TOKENS = 10_000;

export class JwtVerifier implements TokenVerifier {
  /**
   * Tokens verified lately, by their exact text (oldest out first). A client sends the same token with every request
   * until it expires, and checking an Ed25519 or RSA signature costs more than the rest of a small command: a token
   * seen in the last minute is trusted again until its `exp`. The price: a key withdrawn from the JWKS keeps
   * working for tokens it signed for up to a minute more.
   */
  readonly #trusted = new Map<string, { readonly principal: Principal; readonly until: number }>();

  private constructor(
    private readonly key: CryptoKey | JWTVerifyGetKey,
    private readonly settings: JwtVerifierSettings,
  ) {}

  static withKey(publicKey: CryptoKey, settings: JwtVerifierSettings): JwtVerifier {
    return new JwtVerifier(publicKey, settings);
  }

  /** jose fetches the set lazily, caches it and refetches when a token names a key id it has not seen (key rotation). */
  static withJwks(jwksUrl: URL, settings: JwtVerifierSettings): JwtVerifier {
    return new JwtVerifier(createRemoteJWKSet(jwksUrl, { timeoutDuration: 5_000, cooldownDuration: 30_000 }), settings);
  }

  async verify(token: string): Promise<Result<Principal, TokenRejection>> {
    const trusted = this.#trusted.get(token);
    if (trusted !== undefined && trusted.until > Date.now()) return ok(trusted.principal);
    this.#trusted.delete(token);
    const checked = await this.#check(token);
    if (checked.isErr()) return err(checked.error);
    const { principal, expiresAt } = checked.value;
    if (this.#trusted.size >= TRUSTED_TOKENS) this.#trusted.delete(this.#trusted.keys().next().value as string);
    this.#trusted.set(token, { principal, until: Math.min(expiresAt, Date.now() + TRUST_AGAIN_MS) });
    return ok(principal);
  }

  async #check(token: string): Promise<Result<{ principal: Principal; expiresAt: number }, TokenRejection>> {
    let payload: JWTPayload;
    try {
      const options = { issuer: this.settings.issuer, audience: this.settings.audience, algorithms: ACCEPTED_ALGORITHMS, clockTolerance: this.settings.clockToleranceSeconds, requiredClaims: ['sub', 'exp'] };
      // Two calls rather than one union: jose overloads jwtVerify on the kind of key.
      payload = typeof this.key === 'function' ? (await jwtVerify(token, this.key, options)).payload : (await jwtVerify(token, this.key, options)).payload;
    } catch (error) {
      return err(rejectionOf(error));
    }
    const subject = payload.sub ?? '';
    if (!SUBJECT.test(subject)) return invalid('the token subject must be 1 to 128 visible ASCII characters');
    if (containsCardNumber(subject)) return invalid('the token subject looks like a card number');
    const claimed = claimAt(payload, this.settings.rolesClaim);
    const listed = typeof claimed === 'string' ? [claimed] : Array.isArray(claimed) ? claimed : [];
    // Roles this service does not know (an identity provider's own) are left out, not refused.
    return ok({ principal: { subject, roles: [...new Set(listed.filter(isRole))] }, expiresAt: (payload.exp ?? 0) * 1_000 });
  }
}
