import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CheckpointSigner } from '../../application/ports/anchor-store.js';

/** Checkpoints signed with an Ed25519 key pair; the key id is the SHA-256 of the public key (SPKI DER), first 16 hex digits. */
export class Ed25519CheckpointSigner implements CheckpointSigner {
  readonly keyId: string;
  readonly #publicKey: KeyObject;

  constructor(private readonly privateKey: KeyObject) {
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new RangeError(`the anchor signing key must be Ed25519, got ${privateKey.asymmetricKeyType ?? 'a secret key'}`);
    this.#publicKey = createPublicKey(privateKey);
    this.keyId = createHash('sha256').update(this.#publicKey.export({ format: 'der', type: 'spki' })).digest('hex').slice(0, 16);
  }

  static fromPem(pem: string): Ed25519CheckpointSigner {
    return new Ed25519CheckpointSigner(createPrivateKey(pem));
  }

  /** The key in `file` (PKCS#8 PEM), made on first use, readable by its owner only. */
  static async fromFile(file: string): Promise<Ed25519CheckpointSigner> {
    try {
      return Ed25519CheckpointSigner.fromPem(await readFile(file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const { privateKey } = generateKeyPairSync('ed25519');
    await mkdir(dirname(file), { recursive: true });
    try {
      await writeFile(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      // Another process made it first: use theirs, so that both sign with one key.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return Ed25519CheckpointSigner.fromPem(await readFile(file, 'utf8'));
    }
    return new Ed25519CheckpointSigner(privateKey);
  }

  /** The public key (SPKI PEM), for auditors who check anchors without the service. */
  get publicKeyPem(): string {
    return this.#publicKey.export({ format: 'pem', type: 'spki' }).toString();
  }

  sign(bytes: Uint8Array): Uint8Array {
    return sign(null, bytes, this.privateKey);
  }

  verify(bytes: Uint8Array, signature: Uint8Array): boolean {
    return verify(null, bytes, this.#publicKey, signature);
  }
}
