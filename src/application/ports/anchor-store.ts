/**
 * Where signed checkpoints of the audit chain are kept, outside the event store, so that whoever can rewrite the
 * store cannot also rewrite what it was anchored to: a folder of write-once files, or S3 with Object Lock.
 */
export interface AnchorStore {
  /** Writes a new anchor; an existing name is never overwritten (AnchorExistsError). */
  write(name: string, body: string): Promise<void>;
  /** The newest anchor (names sort by time), or null when none was written. */
  latest(): Promise<StoredAnchor | null>;
  /** Where anchors go, for the operator (a folder, s3://bucket/prefix). */
  readonly location: string;
}

export interface StoredAnchor {
  readonly name: string;
  readonly body: string;
}

export class AnchorExistsError extends Error {
  override readonly name = 'AnchorExistsError';
}

/** Signs checkpoints and checks signatures with the same key pair (Ed25519). */
export interface CheckpointSigner {
  /** Names the public key, so that an anchor says which key signed it. */
  readonly keyId: string;
  sign(bytes: Uint8Array): Uint8Array;
  verify(bytes: Uint8Array, signature: Uint8Array): boolean;
}
