/** A data subject's data key as kept: wrapped (encrypted) by the master key, never in the clear. */
export interface WrappedDataKey {
  /** The data subject: the customer id. */
  readonly subject: string;
  /** Which key of the subject's this is; every sealed value names it. */
  readonly version: number;
  /** The master key's ciphertext of the 256-bit data key, base64. */
  readonly wrapped: string;
  readonly createdAt: string;
}

/** What the store holds for a subject: their key, or the record that it was deleted (erasure). */
export type StoredDataKey =
  | { readonly status: 'active'; readonly key: WrappedDataKey }
  | { readonly status: 'erased'; readonly subject: string; readonly erasedAt: string };

/**
 * One wrapped data key per data subject (GDPR crypto-shredding). Deleting it is the erasure: every value sealed
 * with it is unreadable from then on. Deletion leaves a tombstone without key material, so that no new key is
 * ever made for an erased subject and readers can tell "erased" from "never had one".
 */
export interface DataKeyStore {
  /** Keeps `key` unless the subject already has a key or was erased, and answers what the store holds afterwards (the first writer wins a race). */
  create(key: WrappedDataKey): Promise<StoredDataKey>;
  /** Null when the subject never had a key. */
  get(subject: string): Promise<StoredDataKey | null>;
  /** Deletes the subject's key for good, leaving the tombstone; repeating it keeps the first time. */
  delete(subject: string, erasedAt: string): Promise<void>;
}
