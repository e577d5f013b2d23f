import { describe, expect, it } from 'vitest';
import { loadAuthConfig } from '../../../src/main/auth-config.js';
import { ConfigError, loadConfig } from '../../../src/main/config.js';

describe('the AUTH_* settings', () => {
  it('verify against the local key under the data folder unless a JWKS URL is given, metrics for operators only', () => {
    const local = loadConfig({ DATA_DIR: '/srv/es' }, { store: 'memory' }).auth;
    expect(local).toMatchObject({ jwksUrl: null, signingKeyFile: '/srv/es/auth/signing-key.jwk', issuer: 'urn:es-core:local', audience: 'es-core', rolesClaim: 'roles', metricsAccess: 'operator', openapiAccess: 'open' });
    const oidc = loadAuthConfig({ AUTH_JWKS_URL: 'https://login.example.com/jwks', AUTH_ISSUER: 'https://login.example.com/', AUTH_AUDIENCE: 'orders', METRICS_ACCESS: 'open' }, '/srv/es');
    expect(oidc).toMatchObject({ jwksUrl: new URL('https://login.example.com/jwks'), issuer: 'https://login.example.com/', audience: 'orders', metricsAccess: 'open' });
  });

  it.each([
    [{ AUTH_JWKS_URL: 'login.example.com/jwks' }, /AUTH_JWKS_URL must be an absolute URL/],
    [{ AUTH_JWKS_URL: 'http://login.example.com/jwks', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' }, /AUTH_JWKS_URL must use https \(plain http only on 127.0.0.1/],
    [{ AUTH_JWKS_URL: 'https://login.example.com/jwks' }, /AUTH_JWKS_URL needs AUTH_ISSUER .* and AUTH_AUDIENCE/],
    [{ AUTH_ROLES_CLAIM: 'realm access' }, /AUTH_ROLES_CLAIM must be a claim name or a dotted path/],
    [{ AUTH_CLOCK_TOLERANCE_S: '5m' }, /AUTH_CLOCK_TOLERANCE_S must be a whole number of seconds from 0 to 300/],
    [{ AUTH_CLOCK_TOLERANCE_S: '301' }, /AUTH_CLOCK_TOLERANCE_S/],
    [{ METRICS_ACCESS: 'public' }, /METRICS_ACCESS must be open or operator; got "public"/],
    [{ OPENAPI_ACCESS: 'closed' }, /OPENAPI_ACCESS must be open or operator/],
    [{ AUTH_AUDIENCE: 'has space' }, /AUTH_AUDIENCE must be 1 to 512 visible ASCII characters/],
    [{ OPERATOR_TOKEN: 'an-old-shared-token-0123' }, /OPERATOR_TOKEN is no longer used: operator requests carry a bearer JWT with the operator role/],
  ])('refuses %j at start-up, naming the setting and what it accepts', (env, message) => {
    expect(() => loadConfig(env, { store: 'memory' })).toThrow(ConfigError);
    expect(() => loadConfig(env, { store: 'memory' })).toThrow(message);
  });
});
