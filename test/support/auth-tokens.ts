import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateSigningKey, mintToken, type LocalSigningKey } from '../../src/adapters/auth/local-signing-key.js';
import type { Role } from '../../src/adapters/auth/principal.js';
import type { HttpAuth } from '../../src/adapters/http/access-control.js';
import { loadAuthConfig, type AuthConfig } from '../../src/main/auth-config.js';
import { httpAuthFrom } from '../../src/main/http-auth.js';

/**
 * One signing key per test process, in a folder of its own: services started by the tests (in process or as a child
 * process) verify with it, and `tokenFor` signs with it. It is made on first use, as `npm start` makes its own.
 */
export const TEST_SIGNING_KEY_FILE = join(mkdtempSync(join(tmpdir(), 'es-test-auth-')), 'signing-key.jwk');

/** What a service started by a test verifies tokens with: the test key, metrics and the API description for operators. */
export const testAuthConfig = (overrides: Partial<AuthConfig> = {}): AuthConfig => ({ ...loadAuthConfig({ AUTH_SIGNING_KEY_FILE: TEST_SIGNING_KEY_FILE }, tmpdir()), ...overrides });

/** The environment a service process needs to verify the test key's tokens. */
export const TEST_AUTH_ENV: Readonly<Record<string, string>> = { AUTH_SIGNING_KEY_FILE: TEST_SIGNING_KEY_FILE };

/** For buildHttpServer in a test. */
export const testHttpAuth = (overrides: Partial<AuthConfig> = {}): Promise<HttpAuth> => httpAuthFrom(testAuthConfig(overrides));

let key: Promise<LocalSigningKey> | null = null;
export const testSigningKey = (): Promise<LocalSigningKey> => (key ??= loadOrCreateSigningKey(TEST_SIGNING_KEY_FILE));

/** Who a test calls as: the token's subject and roles. */
export interface Caller {
  readonly subject: string;
  readonly roles: readonly Role[];
}

/** The back office in one token: every command, every read, every operation. Tests not about access call as staff. */
export const STAFF: Caller = { subject: 'test-suite', roles: ['service', 'support', 'operator'] };
export const asCustomer = (customerId: string): Caller => ({ subject: customerId, roles: ['customer'] });
export const asRole = (role: Role, subject = `test-${role}`): Caller => ({ subject, roles: [role] });

/** A bearer token for the caller, signed with the test key (or `signingKey`), valid for `ttlSeconds` from `now`. */
export const tokenFor = async (caller: Caller, options: { ttlSeconds?: number; now?: Date; signingKey?: LocalSigningKey; audience?: string } = {}): Promise<string> => {
  const config = testAuthConfig();
  return mintToken(
    options.signingKey ?? (await testSigningKey()),
    { subject: caller.subject, roles: caller.roles, ttlSeconds: options.ttlSeconds ?? 3600, issuer: config.issuer, audience: options.audience ?? config.audience },
    options.now,
  );
};

/** `{ authorization: 'Bearer ...' }` for the caller. */
export const bearer = async (caller: Caller = STAFF): Promise<{ authorization: string }> => ({ authorization: `Bearer ${await tokenFor(caller)}` });
