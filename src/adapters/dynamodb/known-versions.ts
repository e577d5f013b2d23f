/**
 * The highest version known to exist per stream, learnt from this process's own appends and reads. Events
 * are never deleted, so a version once seen exists for ever: an append at exactly that version needs no
 * read to rule out appending ahead of the stream. Bounded: the least recently used streams are forgotten.
 */
export class KnownVersions {
  readonly #versions = new Map<string, number>();

  constructor(private readonly capacity = 100_000) {}

  get(streamId: string): number {
    return this.#versions.get(streamId) ?? 0;
  }

  saw(streamId: string, version: number): void {
    const known = this.#versions.get(streamId) ?? 0;
    this.#versions.delete(streamId);
    this.#versions.set(streamId, Math.max(known, version));
    if (this.#versions.size > this.capacity) this.#versions.delete(this.#versions.keys().next().value as string);
  }
}
