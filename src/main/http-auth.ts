import { JwtVerifier } from '../adapters/auth/jwt-verifier.js';
import { loadOrCreateSigningKey } from '../adapters/auth/local-signing-key.js';
import type { HttpAuth } from '../adapters/http/access-control.js';
import type { AuthConfig } from './auth-config.js';

/**
 * The HTTP API's token verification: an OIDC provider's JWKS when AUTH_JWKS_URL is set, else the local signing key,
 * made under the data folder on first start (the CLI's `token` command signs with the same file).
 */
export const httpAuthFrom = async (config: AuthConfig): Promise<HttpAuth> => {
  const settings = { issuer: config.issuer, audience: config.audience, rolesClaim: config.rolesClaim, clockToleranceSeconds: config.clockToleranceSeconds };
  const verifier = config.jwksUrl !== null ? JwtVerifier.withJwks(config.jwksUrl, settings) : JwtVerifier.withKey((await loadOrCreateSigningKey(config.signingKeyFile)).publicKey, settings);
  return { verifier, metricsAccess: config.metricsAccess, openapiAccess: config.openapiAccess };
};
