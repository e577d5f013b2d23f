export interface Head {
  readonly version: number;
  readonly hash: string;
}

/** Enough for a caller pipelining a few commits on one stream; older heads are of no use to anyone. */
const HEADS_PER_STREAM = 8;

/**
 * Where this process's appends leave each stream, from the moment they are sent: an append that does not say what it
 * chains from (AppendOptions.previousHash) and expects one of these versions chains from its hash without reading the
 * stream's head, so callers may submit a stream's commits one after another in the same turn and they still travel
 * in one batch (and a stale one among them fails there, as it did before the chain). A version's first commit wins,
 * as in es_append; a commit that failed takes its head, and those built on it, back. A wrong entry costs nothing
 * worse than a conflict: es_append checks the previous hash. Bounded: the least recently used streams are forgotten.
 */
export class ExpectedHeads {
  readonly #streams = new Map<string, Head[]>();

  constructor(private readonly capacity = 10_000) {}

  /** The furthest head expected. */
  get(streamId: string): Head | undefined {
    return this.#streams.get(streamId)?.at(-1);
  }

  hashAt(streamId: string, version: number): string | undefined {
    return this.#streams.get(streamId)?.find((head) => head.version === version)?.hash;
  }

  /** A commit on `base` was sent: it will leave the stream at `head` unless another commit took that version first. */
  expect(streamId: string, base: number, head: Head): void {
    const heads = this.#streams.get(streamId) ?? [];
    const last = heads.at(-1);
    if (last !== undefined && base < last.version) return;
    this.#streams.delete(streamId);
    this.#streams.set(streamId, [...(last !== undefined && base === last.version ? heads : []), head].slice(-HEADS_PER_STREAM));
    if (this.#streams.size > this.capacity) this.#streams.delete(this.#streams.keys().next().value as string);
  }

  /** The commit that would have led to `head` did not land. */
  forget(streamId: string, head: Head): void {
    const heads = this.#streams.get(streamId);
    const at = heads?.findIndex((known) => known.version === head.version && known.hash === head.hash) ?? -1;
    if (heads === undefined || at < 0) return;
    if (at === 0) this.#streams.delete(streamId);
    else this.#streams.set(streamId, heads.slice(0, at));
  }
}
