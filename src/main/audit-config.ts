import { join } from 'node:path';
import { ConfigError } from './config-error.js';

export type AnchorTarget = { readonly kind: 'folder'; readonly folder: string } | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string; readonly endpoint: string | null; readonly region: string };

/** The audit chain's anchors (issue 11, SOX): where signed checkpoints go, how often, and the key that signs them. */
export interface AuditConfig {
  readonly anchors: AnchorTarget;
  /** How often the service anchors the chains' heads; 0: only on demand (`cli anchor`). */
  readonly anchorIntervalMs: number;
  /** How long S3 locks each anchor (COMPLIANCE mode). */
  readonly anchorRetentionDays: number;
  /** The Ed25519 signing key (PKCS#8 PEM) given inline; null: the key file, made on first use. */
  readonly signingKeyPem: string | null;
  readonly signingKeyFile: string;
}

/** Seven years: the record retention SOX auditors usually ask for. */
const DEFAULT_RETENTION_DAYS = 2_557;
const HOUR_MS = 3_600_000;

const whole = (env: NodeJS.ProcessEnv, name: string, fallback: number, minimum: number, what: string, zeroAllowed = false): number => {
  const raw = env[name] ?? String(fallback);
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || (value < minimum && !(zeroAllowed && value === 0))) throw new ConfigError(`${name} must be ${what}; got ${JSON.stringify(env[name])}`);
  return value;
};

/**
 * Reads `ANCHOR_STORE` (folder, the default, or s3), `ANCHOR_DIR` (default <DATA_DIR>/anchors), `ANCHOR_S3_BUCKET`,
 * `ANCHOR_S3_PREFIX` (default anchors/), `ANCHOR_S3_ENDPOINT`, `ANCHOR_RETENTION_DAYS`, `ANCHOR_INTERVAL_MS` (default
 * an hour; 0 off) and `ANCHOR_SIGNING_KEY` (a PEM) or `ANCHOR_SIGNING_KEY_FILE` (default <DATA_DIR>/anchor-signing-key.pem).
 */
export const loadAuditConfig = (env: NodeJS.ProcessEnv, dataDir: string): AuditConfig => {
  const kind = env.ANCHOR_STORE ?? 'folder';
  let anchors: AnchorTarget;
  if (kind === 'folder') {
    anchors = { kind, folder: env.ANCHOR_DIR || join(dataDir, 'anchors') };
  } else if (kind === 's3') {
    const bucket = env.ANCHOR_S3_BUCKET ?? '';
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new ConfigError(`ANCHOR_STORE=s3 needs ANCHOR_S3_BUCKET, a bucket name with Object Lock enabled (3-63 of a-z, 0-9, '.', '-'); got ${JSON.stringify(env.ANCHOR_S3_BUCKET)}`);
    const prefix = env.ANCHOR_S3_PREFIX ?? 'anchors/';
    if (!/^[A-Za-z0-9!_.*'()/-]*$/.test(prefix)) throw new ConfigError(`ANCHOR_S3_PREFIX may hold only letters, digits and !_.*'()/-; got ${JSON.stringify(prefix)}`);
    anchors = { kind, bucket, prefix, endpoint: env.ANCHOR_S3_ENDPOINT || null, region: env.AWS_REGION ?? 'us-east-1' };
  } else {
    throw new ConfigError(`ANCHOR_STORE must be folder or s3; got ${JSON.stringify(kind)}`);
  }
  const signingKeyPem = env.ANCHOR_SIGNING_KEY || null;
  if (signingKeyPem !== null && !signingKeyPem.includes('-----BEGIN PRIVATE KEY-----')) throw new ConfigError('ANCHOR_SIGNING_KEY must be an Ed25519 private key in PKCS#8 PEM (-----BEGIN PRIVATE KEY-----)');
  return {
    anchors,
    anchorIntervalMs: whole(env, 'ANCHOR_INTERVAL_MS', HOUR_MS, 60_000, 'a whole number of milliseconds, at least 60000, or 0 for anchors on demand only', true),
    anchorRetentionDays: whole(env, 'ANCHOR_RETENTION_DAYS', DEFAULT_RETENTION_DAYS, 1, 'a whole number of days, at least 1'),
    signingKeyPem,
    signingKeyFile: env.ANCHOR_SIGNING_KEY_FILE || join(dataDir, 'anchor-signing-key.pem'),
  };
};
