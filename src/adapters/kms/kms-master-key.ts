import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type { GeneratedDataKey, MasterKey } from '../../application/ports/master-key.js';
import type { TransientFailure } from '../../application/ports/transient-failure.js';

export interface KmsMasterKeyOptions {
  /** A key id, alias (`alias/es-core-data-keys`) or ARN: one KMS key for every subject (deleting a KMS key takes 7 to 30 days, so it is never the erasure). */
  readonly keyId: string;
  readonly region: string;
  /** A test endpoint; the regional AWS endpoint when absent. */
  readonly endpoint?: string;
  /** Static credentials (tests); the SDK's default provider chain when absent. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

const TRANSIENT = new Set(['ThrottlingException', 'KMSInternalException', 'DependencyTimeoutException', 'KeyUnavailableException', 'LimitExceededException']);

/** KMS refused or could not answer; `transient` when trying again later may pass (consumers then retry instead of stopping). */
export class MasterKeyUnavailableError extends Error implements Partial<TransientFailure> {
  override readonly name = 'MasterKeyUnavailableError';
  readonly code = 'MASTER_KEY.UNAVAILABLE';
  readonly transient?: true;

  constructor(message: string, transient: boolean, options?: ErrorOptions) {
    super(message, options);
    if (transient) this.transient = true;
  }
}

const translate = (operation: string, error: unknown): MasterKeyUnavailableError => {
  const shape = error as { name?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
  const transient = TRANSIENT.has(shape.name ?? '') || shape.$fault === 'server' || (shape.$metadata?.httpStatusCode ?? 0) >= 500 || !('$metadata' in (error as object));
  return new MasterKeyUnavailableError(`KMS ${operation} failed: ${shape.name ?? 'Error'}: ${error instanceof Error ? error.message : String(error)}`, transient, { cause: error });
};

/**
 * The production master key: AWS KMS GenerateDataKey (AES_256) and Decrypt, with the subject as encryption
 * context, so that CloudTrail names whose key each call unwrapped and a wrapped key moved to another subject fails.
 */
export class KmsMasterKey implements MasterKey {
  readonly #client: KMSClient;

  constructor(private readonly options: KmsMasterKeyOptions) {
    this.#client = new KMSClient({
      region: options.region,
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    });
  }

  async generateDataKey(subject: string): Promise<GeneratedDataKey> {
    try {
      const answer = await this.#client.send(new GenerateDataKeyCommand({ KeyId: this.options.keyId, KeySpec: 'AES_256', EncryptionContext: { subject } }));
      if (answer.Plaintext === undefined || answer.CiphertextBlob === undefined) throw new Error('GenerateDataKey answered without a key');
      return { plaintext: answer.Plaintext, wrapped: Buffer.from(answer.CiphertextBlob).toString('base64') };
    } catch (error) {
      throw translate('GenerateDataKey', error);
    }
  }

  async unwrap(wrapped: string, subject: string): Promise<Uint8Array> {
    try {
      const answer = await this.#client.send(new DecryptCommand({ KeyId: this.options.keyId, CiphertextBlob: Buffer.from(wrapped, 'base64'), EncryptionContext: { subject } }));
      if (answer.Plaintext === undefined) throw new Error('Decrypt answered without a key');
      return answer.Plaintext;
    } catch (error) {
      throw translate('Decrypt', error);
    }
  }

  close(): void {
    this.#client.destroy();
  }
}
