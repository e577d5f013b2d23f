import { join } from 'node:path';
import { LocalMasterKey } from '../adapters/crypto/local-master-key.js';
import type { MasterKey } from '../application/ports/master-key.js';
import { ConfigError } from './config-error.js';

/** Where the master key that wraps data subjects' keys comes from. */
export type MasterKeySettings =
  | { readonly kind: 'kms'; readonly keyId: string; readonly region: string; readonly endpoint: string | null }
  | { readonly kind: 'base64'; readonly value: string }
  | { readonly kind: 'file'; readonly path: string };

/**
 * `KMS_KEY_ID` (with `AWS_REGION`, and `KMS_ENDPOINT` for a test endpoint) in production; else `MASTER_KEY` (256
 * bits in base64); else the file `MASTER_KEY_FILE`, by default `master.key` in the data folder, made on first use.
 * The in-memory store always uses a key of its own process, whose data goes with it.
 */
export const masterKeySettings = (env: NodeJS.ProcessEnv, dataDir: string): MasterKeySettings => {
  if (env.KMS_KEY_ID) return { kind: 'kms', keyId: env.KMS_KEY_ID, region: env.AWS_REGION ?? 'us-east-1', endpoint: env.KMS_ENDPOINT || null };
  if (env.MASTER_KEY) {
    // Refused at start-up, not at the first registration.
    if (Buffer.from(env.MASTER_KEY, 'base64').length !== 32) throw new ConfigError('MASTER_KEY must be 256 bits in base64 (44 characters), e.g. from: openssl rand -base64 32');
    return { kind: 'base64', value: env.MASTER_KEY };
  }
  return { kind: 'file', path: env.MASTER_KEY_FILE || join(dataDir, 'master.key') };
};

export const openMasterKey = (settings: MasterKeySettings): MasterKey => {
  switch (settings.kind) {
    case 'kms': {
      // The KMS client is loaded on first use: only production needs it, and loading it costs every other set-up the AWS SDK.
      let opened: Promise<MasterKey> | null = null;
      const kms = (): Promise<MasterKey> =>
        (opened ??= import('../adapters/kms/kms-master-key.js').then(
          ({ KmsMasterKey }) => new KmsMasterKey({ keyId: settings.keyId, region: settings.region, ...(settings.endpoint === null ? {} : { endpoint: settings.endpoint }) }),
        ));
      return { generateDataKey: async (subject) => (await kms()).generateDataKey(subject), unwrap: async (wrapped, subject) => (await kms()).unwrap(wrapped, subject) };
    }
    case 'base64':
      return LocalMasterKey.fromBase64(settings.value, 'MASTER_KEY');
    case 'file':
      return LocalMasterKey.fromFile(settings.path);
  }
};
