import { randomUUID } from 'node:crypto';
import { chmod, link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { Role } from './principal.js';

/** Ed25519: small keys, fast, deterministic signatures, no parameter choices to get wrong. */
const ALGORITHM = 'EdDSA';

/** A key pair this service signs development tokens with and verifies every token against, when no JWKS URL is set. */
export interface LocalSigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
}

export class SigningKeyFileError extends Error {}

const publicPart = ({ d: _private, ...rest }: JWK): JWK => rest;

const fromJwk = async (jwk: JWK, file: string): Promise<LocalSigningKey> => {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string' || typeof jwk.x !== 'string') {
    throw new SigningKeyFileError(`${file} does not hold an Ed25519 private JWK; delete it to have a new one made (tokens signed with the old one stop working)`);
  }
  const kid = jwk.kid ?? (await calculateJwkThumbprint(publicPart(jwk)));
  return { kid, privateKey: (await importJWK(jwk, ALGORITHM)) as CryptoKey, publicKey: (await importJWK(publicPart(jwk), ALGORITHM)) as CryptoKey };
};

const hasCode = (error: unknown, code: string): boolean => error instanceof Error && 'code' in error && error.code === code;

/** The key in `file`, or null when there is no such file. */
const readKey = async (file: string): Promise<LocalSigningKey | null> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return null;
    throw new SigningKeyFileError(`${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SigningKeyFileError(`${file} is not JSON; delete it to have a new key made (tokens signed with the old one stop working)`);
  }
  return fromJwk(parsed as JWK, file);
};

/**
 * The signing key in `file`, made on first use: a fresh Ed25519 pair written as a private JWK readable by this user
 * only (0600). Written whole under another name, then linked into place: a process starting at the same moment (a
 * second instance, the CLI) never reads a half-written file, and both end up with the one linked first.
 */
export const loadOrCreateSigningKey = async (file: string): Promise<LocalSigningKey> => {
  const existing = await readKey(file);
  if (existing !== null) return existing;
  const { privateKey } = await generateKeyPair(ALGORITHM, { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  const withKid: JWK = { ...jwk, kid: await calculateJwkThumbprint(publicPart(jwk)), alg: ALGORITHM, use: 'sig' };
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const partial = `${file}.${randomUUID()}.partial`;
  try {
    await writeFile(partial, `${JSON.stringify(withKid, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
    // The mode given to open is masked by the umask; the file must not be readable by others whatever the umask.
    await chmod(partial, 0o600);
    await link(partial, file);
  } catch (error) {
    if (!hasCode(error, 'EEXIST')) throw error;
  } finally {
    await rm(partial, { force: true });
  }
  const written = await readKey(file);
  if (written === null) throw new SigningKeyFileError(`${file} vanished while it was being made`);
  return written;
};

export interface TokenRequest {
  readonly subject: string;
  readonly roles: readonly Role[];
  /** Seconds from now until the token expires. */
  readonly ttlSeconds: number;
  readonly issuer: string;
  readonly audience: string;
}

/** A compact JWS the service accepts: `sub`, `roles`, `iss`, `aud`, `iat`, `exp`, signed with the local key. */
export const mintToken = (key: LocalSigningKey, request: TokenRequest, now: Date = new Date()): Promise<string> => {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ roles: [...request.roles] })
    .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setSubject(request.subject)
    .setIssuer(request.issuer)
    .setAudience(request.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + request.ttlSeconds)
    .sign(key.privateKey);
};
