import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateSigningKey, mintToken } from '../src/adapters/auth/local-signing-key.js';
import { loadAuthConfig, type AuthConfig } from '../src/main/auth-config.js';

/** A signing key of the benchmark's own, in a temporary folder: the service under test verifies with it. */
export const BENCH_AUTH: AuthConfig = loadAuthConfig({ AUTH_SIGNING_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'es-bench-auth-')), 'signing-key.jwk') }, tmpdir());

let header: Promise<string> | null = null;

/** `Bearer <token>` for a back end that sends every command and reads (service and support), valid for a day. */
export const benchAuthorization = (): Promise<string> =>
  (header ??= (async () => {
    const key = await loadOrCreateSigningKey(BENCH_AUTH.signingKeyFile);
    return `Bearer ${await mintToken(key, { subject: 'bench', roles: ['service', 'support'], ttlSeconds: 86_400, issuer: BENCH_AUTH.issuer, audience: BENCH_AUTH.audience })}`;
  })());
