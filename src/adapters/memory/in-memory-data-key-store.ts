import type { DataKeyStore, StoredDataKey, WrappedDataKey } from '../../application/ports/data-key-store.js';

export class InMemoryDataKeyStore implements DataKeyStore {
  readonly #bySubject = new Map<string, StoredDataKey>();

  async create(key: WrappedDataKey): Promise<StoredDataKey> {
    const held = this.#bySubject.get(key.subject);
    if (held !== undefined) return held;
    const stored: StoredDataKey = { status: 'active', key: { ...key } };
    this.#bySubject.set(key.subject, stored);
    return stored;
  }

  async get(subject: string): Promise<StoredDataKey | null> {
    return this.#bySubject.get(subject) ?? null;
  }

  async delete(subject: string, erasedAt: string): Promise<void> {
    if (this.#bySubject.get(subject)?.status === 'erased') return;
    this.#bySubject.set(subject, { status: 'erased', subject, erasedAt });
  }
}
