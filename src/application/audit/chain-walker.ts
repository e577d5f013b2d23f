import type { EventEnvelope } from '../events/envelope.js';
import { chainHash, GENESIS_HASH } from './event-chain.js';

/**
 * What a mismatch says about the stored log:
 * - `content-edited`: the event's bytes are no longer what was hashed (a field changed in place);
 * - `chain-broken`: the event does not chain from the one before it (events reordered, replaced, or an edit with a recomputed hash);
 * - `version-gap`: a version is missing or repeated (an event deleted from the middle, versions renumbered);
 * - `missing-hash`: the event carries no hash (written before the chain, or the hash removed);
 * - `truncated`: the stream is shorter than, or missing from, the signed anchor (events deleted at its end, a restore from before it);
 * - `rewritten`: the stream holds the anchored version with another hash (rolled back and written again).
 */
export type MismatchKind = 'content-edited' | 'chain-broken' | 'version-gap' | 'missing-hash' | 'truncated' | 'rewritten';

export interface ChainMismatch {
  readonly streamId: string;
  readonly version: number;
  /** The event found there; null when it is missing (a gap's missing version, a truncated stream). */
  readonly eventId: string | null;
  readonly kind: MismatchKind;
  readonly expectedHash: string | null;
  readonly foundHash: string | null;
  readonly message: string;
}

/** A stream's last event as stored: what an anchor signs. */
export interface ChainHead {
  readonly streamId: string;
  readonly version: number;
  readonly hash: string;
}

interface StreamState {
  version: number;
  hash: string;
  broken: boolean;
  /** Where the stream's mismatch sits in the report (when it is among the first 100), to correct a gap that was a reordering. */
  reported?: number;
}

/** Reports kept in full; beyond them only counted. */
const MAX_REPORTED = 100;

/**
 * Walks events stream by stream (each stream in version order; streams may interleave, as the global log and
 * a parallel Scan hand them over) and keeps the first mismatch of each stream: what follows a broken link is
 * not judged again. Holds one small entry per stream, never the events.
 */
export class ChainWalker {
  readonly #streams = new Map<string, StreamState>();
  readonly #mismatches: ChainMismatch[] = [];
  /** Versions whose stored hash is wanted (an anchor's heads), and what was found there. */
  readonly #watched: ReadonlyMap<string, number>;
  readonly #found = new Map<string, string>();
  #mismatchCount = 0;
  #events = 0;

  constructor(watched: ReadonlyMap<string, number> = new Map()) {
    this.#watched = watched;
  }

  visit(event: EventEnvelope): void {
    this.#events += 1;
    const state = this.#streams.get(event.streamId) ?? { version: 0, hash: GENESIS_HASH, broken: false };
    this.#streams.set(event.streamId, state);
    if (this.#watched.get(event.streamId) === event.version && event.hash !== undefined) this.#found.set(event.streamId, event.hash);
    if (!state.broken) {
      const mismatch = judge(state, event);
      if (mismatch !== null) {
        state.broken = true;
        if (this.#mismatches.length < MAX_REPORTED) state.reported = this.#mismatches.length;
        this.report(mismatch);
      }
    } else if (event.version < state.version) {
      this.#reordered(state, event);
      return;
    }
    state.version = event.version;
    state.hash = event.hash ?? GENESIS_HASH;
  }

  /**
   * A version arriving after a higher one: the store's commit order (the global log) and the versions disagree, so
   * the gap reported when the higher one came was a reordering (versions swapped in place), named as a broken chain
   * at the lowest version out of place, as a walk in version order names it.
   */
  #reordered(state: StreamState, event: EventEnvelope): void {
    const index = state.reported;
    const earlier = index === undefined ? undefined : this.#mismatches[index];
    if (index === undefined || earlier === undefined || (earlier.kind !== 'version-gap' && !(earlier.kind === 'chain-broken' && event.version < earlier.version))) return;
    this.#mismatches[index] = {
      streamId: event.streamId,
      version: event.version,
      eventId: event.eventId,
      kind: 'chain-broken',
      expectedHash: null,
      foundHash: event.previousHash ?? null,
      message: `version ${event.version} comes after version ${state.version} in the store's commit order: events were reordered`,
    };
  }

  report(mismatch: ChainMismatch): void {
    this.#mismatchCount += 1;
    if (this.#mismatches.length < MAX_REPORTED) this.#mismatches.push(mismatch);
  }

  get events(): number {
    return this.#events;
  }

  get streams(): number {
    return this.#streams.size;
  }

  get mismatchCount(): number {
    return this.#mismatchCount;
  }

  /** The mismatches found, the first of each stream, in the order found (at most 100). */
  get mismatches(): readonly ChainMismatch[] {
    return this.#mismatches;
  }

  /** The stored hash at a watched version, when the walk met it. */
  hashAt(streamId: string): string | undefined {
    return this.#found.get(streamId);
  }

  versionOf(streamId: string): number {
    return this.#streams.get(streamId)?.version ?? 0;
  }

  /** Every stream's last event as stored, sorted by stream id (byte order of UTF-16 code units). */
  heads(): ChainHead[] {
    return [...this.#streams.entries()]
      .map(([streamId, state]) => ({ streamId, version: state.version, hash: state.hash }))
      .sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
  }
}

const judge = (state: StreamState, event: EventEnvelope): ChainMismatch | null => {
  const at = { streamId: event.streamId, version: event.version, eventId: event.eventId };
  if (event.version !== state.version + 1) {
    return {
      ...at,
      kind: 'version-gap',
      expectedHash: null,
      foundHash: event.hash ?? null,
      message: `version ${state.version + 1} was expected after ${state.version}, found ${event.version}: an event was deleted or versions renumbered`,
    };
  }
  if (event.hash === undefined) {
    return { ...at, kind: 'missing-hash', expectedHash: chainHash(state.hash, event), foundHash: null, message: 'the event carries no hash: it was written before the chain or its hash was removed' };
  }
  if (event.previousHash !== state.hash) {
    return {
      ...at,
      kind: 'chain-broken',
      expectedHash: state.hash,
      foundHash: event.previousHash ?? null,
      message: `the event chains from ${event.previousHash ?? 'nothing'}, not from version ${state.version}'s hash: events were reordered, replaced or edited with a recomputed hash`,
    };
  }
  const expected = chainHash(state.hash, event);
  if (expected !== event.hash) {
    return { ...at, kind: 'content-edited', expectedHash: expected, foundHash: event.hash, message: "the event's content does not hash to its stored hash: it was edited after it was written" };
  }
  return null;
};
