interface Known {
  readonly version: number;
  /** The audit-chain hash of the event at `version`, when this process saw it. */
  readonly hash?: string;
}

/**
 * The highest version known to exist per stream, learnt from this process's own appends and reads. Events
 * are never deleted, so a version once seen exists for ever: an append at exactly that version needs no
 * read to rule out appending ahead of the stream. With it, the hash of that event when seen: an append that
 * does not say what it chains from (AppendOptions.previousHash) chains from it without reading the item.
 * Bounded: the least recently used streams are forgotten.
 */
export class KnownVersions {
  readonly #known = new Map<string, Known>();

  constructor(private readonly capacity = 100_000) {}

  get(streamId: string): number {
    return this.#known.get(streamId)?.version ?? 0;
  }

  /** The hash of the stream's event at `version`, if that is the highest version seen and its hash was seen with it. */
  hashAt(streamId: string, version: number): string | undefined {
    const known = this.#known.get(streamId);
    return known?.version === version ? known.hash : undefined;
  }

  saw(streamId: string, version: number, hash?: string): void {
    const known = this.#known.get(streamId) ?? { version: 0 };
    this.#known.delete(streamId);
    const next = version > known.version ? { version, ...(hash === undefined ? {} : { hash }) } : version === known.version && hash !== undefined ? { version, hash } : known;
    this.#known.set(streamId, next);
    if (this.#known.size > this.capacity) this.#known.delete(this.#known.keys().next().value as string);
  }
}
