import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { GeneratedDataKey, MasterKey } from '../../application/ports/master-key.js';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
  readonly code = 'MASTER_KEY.INVALID';
}

/**
 * The master key for development and tests: 256 bits held by this process, wrapping data keys with AES-256-GCM
 * (the subject as additional data, as KMS's encryption context). In production KMS holds the master key instead.
 */
export class LocalMasterKey implements MasterKey {
  readonly #key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== KEY_BYTES) throw new MasterKeyError(`a master key is ${KEY_BYTES} bytes (256 bits); got ${key.length}`);
    this.#key = Buffer.from(key);
  }

  /** A key of its own for this process only: what the in-memory store uses, whose data goes with it. */
  static ephemeral(): LocalMasterKey {
    return new LocalMasterKey(randomBytes(KEY_BYTES));
  }

  /** The key in `file` (base64), created there (readable by its owner only) on first use. */
  static fromFile(file: string): LocalMasterKey {
    let text: string | null = null;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text === null) {
      const key = randomBytes(KEY_BYTES);
      mkdirSync(dirname(file), { recursive: true });
      // 'wx': two processes starting at once never both write a key; the loser reads the winner's.
      try {
        writeFileSync(file, `${key.toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
        chmodSync(file, 0o600);
        return new LocalMasterKey(key);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        text = readFileSync(file, 'utf8');
      }
    }
    return LocalMasterKey.fromBase64(text.trim(), file);
  }

  static fromBase64(text: string, source = 'the configured master key'): LocalMasterKey {
    const key = Buffer.from(text, 'base64');
    if (key.length !== KEY_BYTES || key.toString('base64') !== text) throw new MasterKeyError(`${source} must be ${KEY_BYTES} bytes in base64 (44 characters)`);
    return new LocalMasterKey(key);
  }

  async generateDataKey(subject: string): Promise<GeneratedDataKey> {
    const plaintext = randomBytes(KEY_BYTES);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv).setAAD(Buffer.from(subject, 'utf8'));
    const wrapped = Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return { plaintext, wrapped: wrapped.toString('base64') };
  }

  async unwrap(wrapped: string, subject: string): Promise<Uint8Array> {
    const bytes = Buffer.from(wrapped, 'base64');
    const iv = bytes.subarray(0, IV_BYTES);
    const tag = bytes.subarray(bytes.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, iv).setAAD(Buffer.from(subject, 'utf8')).setAuthTag(tag);
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  }
}
