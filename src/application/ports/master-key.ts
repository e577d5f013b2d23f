/** A data key fresh from the master key: in the clear for this process, and wrapped for the key store. */
export interface GeneratedDataKey {
  /** 32 bytes (AES-256). */
  readonly plaintext: Uint8Array;
  /** base64; only the master key can unwrap it. */
  readonly wrapped: string;
}

/**
 * The key that wraps every data subject's data key (AWS KMS in production, a local key for development and
 * tests). Both calls bind the subject to the wrapped key (KMS's encryption context), so that a wrapped key
 * copied to another subject does not unwrap.
 */
export interface MasterKey {
  generateDataKey(subject: string): Promise<GeneratedDataKey>;
  unwrap(wrapped: string, subject: string): Promise<Uint8Array>;
}
