import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { JwtVerifier } from '../../../src/adapters/auth/jwt-verifier.js';
import { loadOrCreateSigningKey, mintToken } from '../../../src/adapters/auth/local-signing-key.js';

const SETTINGS = { issuer: 'urn:test', audience: 'test', rolesClaim: 'roles', clockToleranceSeconds: 0 };

describe('a verified token trusted again', () => {
  it('is answered without checking its signature again, but never past its own expiry', async () => {
    const key = await loadOrCreateSigningKey(join(mkdtempSync(join(tmpdir(), 'es-jwt-trust-')), 'key.jwk'));
    const verifier = JwtVerifier.withKey(key.publicKey, SETTINGS);
    const now = new Date('2026-11-30T10:00:00.000Z');
    vi.useFakeTimers({ now, toFake: ['Date'] });
    try {
      const token = await mintToken(key, { subject: 'shop', roles: ['service'], ttlSeconds: 2, issuer: SETTINGS.issuer, audience: SETTINGS.audience }, now);
      const verify = vi.spyOn(crypto.subtle, 'verify');
      expect((await verifier.verify(token))._unsafeUnwrap()).toEqual({ subject: 'shop', roles: ['service'] });
      const checks = verify.mock.calls.length;
      expect(checks).toBeGreaterThan(0);
      expect((await verifier.verify(token))._unsafeUnwrap().subject).toBe('shop');
      expect(verify.mock.calls.length).toBe(checks);

      vi.setSystemTime(new Date(now.getTime() + 2_001));
      const expired = await verifier.verify(token);
      expect(expired.isErr() && expired.error).toEqual({ kind: 'invalid', reason: 'the token expired' });
    } finally {
      vi.useRealTimers();
      vi.restoreAllMocks();
    }
  });
});
