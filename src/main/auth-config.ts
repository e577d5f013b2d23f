import { join } from 'node:path';
import { ConfigError } from './config-error.js';

/** Who may read `/metrics` and `/openapi.json`: anyone, or operators only. */
export type EndpointAccess = 'open' | 'operator';

export interface AuthConfig {
  /** An OIDC provider's JWKS (production); null: tokens are verified against the local signing key. */
  readonly jwksUrl: URL | null;
  /** The private JWK of the local signing key, made on first start (mode 0600); unused with a JWKS URL. */
  readonly signingKeyFile: string;
  readonly issuer: string;
  readonly audience: string;
  readonly rolesClaim: string;
  readonly clockToleranceSeconds: number;
  readonly metricsAccess: EndpointAccess;
  readonly openapiAccess: EndpointAccess;
}

/** What the local signing key's tokens say they come from and are for, unless AUTH_ISSUER / AUTH_AUDIENCE say otherwise. */
export const LOCAL_ISSUER = 'urn:es-core:local';
export const DEFAULT_AUDIENCE = 'es-core';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const jwksUrlOf = (raw: string | undefined): URL | null => {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`AUTH_JWKS_URL must be an absolute URL, e.g. https://login.example.com/.well-known/jwks.json; got ${JSON.stringify(raw)}`);
  }
  // Keys fetched in clear text could be swapped on the way: plain http only to this machine (a local provider, tests).
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new ConfigError(`AUTH_JWKS_URL must use https (plain http only on 127.0.0.1, localhost or [::1]); got ${JSON.stringify(raw)}`);
  }
  return url;
};

const access = (env: NodeJS.ProcessEnv, name: string, fallback: EndpointAccess): EndpointAccess => {
  const value = env[name] ?? fallback;
  if (value !== 'open' && value !== 'operator') throw new ConfigError(`${name} must be open or operator; got ${JSON.stringify(env[name])}`);
  return value;
};

/**
 * Reads `AUTH_JWKS_URL`, `AUTH_ISSUER`, `AUTH_AUDIENCE`, `AUTH_SIGNING_KEY_FILE`, `AUTH_ROLES_CLAIM`, `AUTH_CLOCK_TOLERANCE_S`,
 * `METRICS_ACCESS` and `OPENAPI_ACCESS`. With a JWKS URL the issuer and audience must be given: a token from the same
 * provider meant for another application must not pass.
 */
export const loadAuthConfig = (env: NodeJS.ProcessEnv, dataDir: string): AuthConfig => {
  if (env.OPERATOR_TOKEN) throw new ConfigError('OPERATOR_TOKEN is no longer used: operator requests carry a bearer JWT with the operator role (npm run cli -- token --role operator --subject <you>); unset it');
  const jwksUrl = jwksUrlOf(env.AUTH_JWKS_URL);
  if (jwksUrl !== null && (!env.AUTH_ISSUER || !env.AUTH_AUDIENCE)) {
    throw new ConfigError("AUTH_JWKS_URL needs AUTH_ISSUER (the provider's issuer, as in its tokens' iss) and AUTH_AUDIENCE (this API's audience, as in aud)");
  }
  const rolesClaim = env.AUTH_ROLES_CLAIM ?? 'roles';
  if (!/^[A-Za-z0-9_:/-]+(\.[A-Za-z0-9_:/-]+)*$/.test(rolesClaim)) {
    throw new ConfigError(`AUTH_ROLES_CLAIM must be a claim name or a dotted path such as realm_access.roles; got ${JSON.stringify(env.AUTH_ROLES_CLAIM)}`);
  }
  const tolerance = env.AUTH_CLOCK_TOLERANCE_S ?? '5';
  const clockToleranceSeconds = /^\d{1,3}$/.test(tolerance) ? Number(tolerance) : Number.NaN;
  if (!(clockToleranceSeconds <= 300)) throw new ConfigError(`AUTH_CLOCK_TOLERANCE_S must be a whole number of seconds from 0 to 300; got ${JSON.stringify(env.AUTH_CLOCK_TOLERANCE_S)}`);
  for (const name of ['AUTH_ISSUER', 'AUTH_AUDIENCE'] as const) {
    const value = env[name];
    if (value !== undefined && !/^[\x21-\x7e]{1,512}$/.test(value)) throw new ConfigError(`${name} must be 1 to 512 visible ASCII characters; got ${JSON.stringify(value)}`);
  }
  return {
    jwksUrl,
    signingKeyFile: env.AUTH_SIGNING_KEY_FILE || join(dataDir, 'auth', 'signing-key.jwk'),
    issuer: env.AUTH_ISSUER ?? LOCAL_ISSUER,
    audience: env.AUTH_AUDIENCE ?? DEFAULT_AUDIENCE,
    rolesClaim,
    clockToleranceSeconds,
    // Metrics tell order volumes and failures to whoever asks: operators only unless opened for a scraper without a token.
    metricsAccess: access(env, 'METRICS_ACCESS', 'operator'),
    // The API's description is no secret, and clients generate code from it.
    openapiAccess: access(env, 'OPENAPI_ACCESS', 'open'),
  };
};
