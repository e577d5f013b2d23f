import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto';
import { ERASED } from '../../domain/index.js';
import { pooledRandom } from '../events/event-ids.js';
import type { DataKeyStore, StoredDataKey } from '../ports/data-key-store.js';
import type { MasterKey } from '../ports/master-key.js';
import type { Clock } from '../ports/runtime.js';

const PREFIX = 'enc:pii1:';
const IV_BYTES = 12;
// A fresh random IV per value, drawn from the system's CSPRNG a pool at a time (each byte handed out once): one call
// into the system per value cost more than the encryption itself.
const ivRandom = pooledRandom();
const TAG_BYTES = 16;

export interface KeyCacheOptions {
  /** Subjects whose unwrapped key is kept in memory, least recently used out first. */
  readonly capacity?: number;
  /**
   * How long an unwrapped key is used without asking the key store again. An erasure in this process drops the
   * key at once; another instance that holds it keeps decrypting the subject's values for at most this long
   * after the erasure, then sees the tombstone (default one minute).
   */
  readonly ttlMs?: number;
}

// A KeyObject, made once per unwrap: a cipher made from one skips re-importing the raw key bytes every time.
type Usable = { readonly kind: 'key'; readonly version: number; readonly key: KeyObject } | { readonly kind: 'erased' };
interface Cached {
  readonly usable: Usable;
  /** Epoch ms; an erased subject stays erased, so its entry never goes stale. */
  readonly until: number;
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const aad = (subject: string, version: number): Buffer => Buffer.from(`${subject}\u0000${version}`);

interface Parsed {
  readonly subject: string;
  readonly version: number;
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

const parse = (sealed: string): Parsed | null => {
  const parts = sealed.slice(PREFIX.length).split(':');
  if (parts.length !== 5) return null;
  const [subject, version, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  if (!/^\d+$/.test(version)) return null;
  const parsed = { subject: Buffer.from(subject, 'base64url').toString('utf8'), version: Number(version), iv: Buffer.from(iv, 'base64url'), ciphertext: Buffer.from(ciphertext, 'base64url'), tag: Buffer.from(tag, 'base64url') };
  return parsed.iv.length === IV_BYTES && parsed.tag.length === TAG_BYTES ? parsed : null;
};

/**
 * Seals personal values with their data subject's key (AES-256-GCM, a fresh IV per value) and opens them again.
 * A sealed value is a string that carries its subject and key version, so opening it needs nothing else; once the
 * subject's key is deleted it opens as ERASED. Keys are made on first use (one master-key call and one key-store
 * write per subject) and kept unwrapped in memory for a short while, so that appends and reads of a known subject
 * cost no round trip.
 */
export class PersonalDataCodec {
  readonly #cache = new Map<string, Cached>();
  readonly #loading = new Map<string, Promise<Usable | null>>();
  /**
   * Values opened lately, by their sealed text: one event is opened by every reader of it (each consumer of the feed,
   * each load of its aggregate), and a cipher per value cost more than the rest of reading it. An entry lives no
   * longer than its subject's unwrapped key does (so an erasure elsewhere is seen as soon as without it) and goes at
   * once with an erasure here.
   */
  readonly #opened = new Map<string, { readonly subject: string; readonly value: string; readonly until: number }>();
  readonly #capacity: number;
  readonly #ttlMs: number;

  constructor(
    private readonly masterKey: MasterKey,
    private readonly keys: DataKeyStore,
    private readonly clock: Clock,
    options: KeyCacheOptions = {},
  ) {
    this.#capacity = options.capacity ?? 10_000;
    this.#ttlMs = options.ttlMs ?? 60_000;
  }

  static isSealed(value: unknown): value is string {
    return typeof value === 'string' && value.startsWith(PREFIX);
  }

  /** The data subject a sealed value names (whose key opens it), or null when it is not a well-formed sealed value. */
  static subjectOf(value: string): string | null {
    return PersonalDataCodec.isSealed(value) ? (parse(value)?.subject ?? null) : null;
  }

  /** The value sealed for `subject`; ERASED itself when the subject was erased (nothing about them is stored again). */
  async seal(subject: string, value: string): Promise<string> {
    const usable = await this.#usable(subject, true);
    if (usable === null || usable.kind === 'erased') return ERASED;
    const iv = Buffer.alloc(IV_BYTES);
    ivRandom(iv);
    const cipher = createCipheriv('aes-256-gcm', usable.key, iv).setAAD(aad(subject, usable.version));
    const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return `${PREFIX}${b64(Buffer.from(subject, 'utf8'))}:${usable.version}:${b64(iv)}:${b64(ciphertext)}:${b64(cipher.getAuthTag())}`;
  }

  /** The value a sealed string holds, or ERASED once its key is gone; anything not sealed (stored before encryption) as it is. */
  async open(value: string): Promise<string> {
    if (!PersonalDataCodec.isSealed(value)) return value;
    const known = this.#opened.get(value);
    if (known !== undefined && known.until > Date.parse(this.clock.now())) return known.value;
    const parsed = parse(value);
    if (parsed === null) throw new Error('a sealed personal value is malformed: the store holds a damaged value');
    const usable = await this.#usable(parsed.subject, false);
    // No key, or a key of another version: the one this value was sealed with was deleted.
    if (usable === null || usable.kind === 'erased' || usable.version !== parsed.version) return ERASED;
    const decipher = createDecipheriv('aes-256-gcm', usable.key, parsed.iv).setAAD(aad(parsed.subject, parsed.version)).setAuthTag(parsed.tag);
    const opened = Buffer.concat([decipher.update(parsed.ciphertext), decipher.final()]).toString('utf8');
    const until = this.#cache.get(parsed.subject)?.until;
    if (until !== undefined) {
      this.#opened.delete(value);
      this.#opened.set(value, { subject: parsed.subject, value: opened, until });
      if (this.#opened.size > this.#capacity) this.#opened.delete(this.#opened.keys().next().value as string);
    }
    return opened;
  }

  /** Erasure in this process: the subject's unwrapped key is dropped now, and nothing is sealed for them again. */
  forget(subject: string): void {
    for (const [sealed, entry] of this.#opened) if (entry.subject === subject) this.#opened.delete(sealed);
    this.#cache.delete(subject);
    this.#remember(subject, { kind: 'erased' });
  }

  async #usable(subject: string, create: boolean): Promise<Usable | null> {
    const cached = this.#cache.get(subject);
    if (cached !== undefined && (cached.usable.kind === 'erased' || cached.until > Date.parse(this.clock.now()))) {
      this.#cache.delete(subject);
      this.#cache.set(subject, cached);
      return cached.usable;
    }
    const key = `${create ? 'create' : 'get'}:${subject}`;
    let loading = this.#loading.get(key);
    if (loading === undefined) {
      loading = this.#load(subject, create).finally(() => this.#loading.delete(key));
      this.#loading.set(key, loading);
    }
    return loading;
  }

  async #load(subject: string, create: boolean): Promise<Usable | null> {
    let stored = await this.keys.get(subject);
    let fresh: Uint8Array | null = null;
    if (stored === null && create) {
      const generated = await this.masterKey.generateDataKey(subject);
      fresh = generated.plaintext;
      stored = await this.keys.create({ subject, version: 1, wrapped: generated.wrapped, createdAt: this.clock.now() });
      // Another writer's key won the race when the store holds other wrapped bytes: that one is used.
      if (stored.status === 'active' && stored.key.wrapped !== generated.wrapped) fresh = null;
    }
    if (stored === null) return null;
    const usable = await this.#unwrap(stored, fresh);
    // A key deleted (here) while it was being loaded must not come back into the cache.
    if (usable.kind === 'key' && this.#cache.get(subject)?.usable.kind === 'erased') return { kind: 'erased' };
    this.#remember(subject, usable);
    return usable;
  }

  async #unwrap(stored: StoredDataKey, fresh: Uint8Array | null): Promise<Usable> {
    if (stored.status === 'erased') return { kind: 'erased' };
    const plaintext = fresh ?? (await this.masterKey.unwrap(stored.key.wrapped, stored.key.subject));
    return { kind: 'key', version: stored.key.version, key: createSecretKey(plaintext) };
  }

  #remember(subject: string, usable: Usable): void {
    this.#cache.delete(subject);
    this.#cache.set(subject, { usable, until: Date.parse(this.clock.now()) + this.#ttlMs });
    while (this.#cache.size > this.#capacity) {
      const oldest = this.#cache.keys().next().value;
      if (oldest === undefined) break;
      this.#cache.delete(oldest);
    }
  }
}
