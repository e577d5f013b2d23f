import type { AggregateSnapshot } from '../../domain/index.js';
import type { Metrics } from '../ports/metrics.js';

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
};

/** An entry: the aggregate's snapshot and, when known, the audit-chain hash of its last event (what its next append chains from). */
export type CachedAggregate = AggregateSnapshot<unknown> & { readonly headHash?: string };

/** Why an entry left the cache: room for a newer one, or the store showed it stale (a conflict, an unknown outcome). */
export type EvictionReason = 'Capacity' | 'Stale';

/**
 * The ADR's "caching for frequently accessed aggregates": each aggregate's state and version as of
 * its last load or save in this process, bounded by count, least recently used out first.
 *
 * An entry is a snapshot, never an aggregate instance: what goes in is copied and deeply frozen, so
 * nothing a command does to its aggregate (restored from an entry by copying its state) can change
 * what the next command starts from. An entry may be stale (another process appended since):
 * whoever decides on it must let the append's expected version check it.
 */
export class AggregateCache {
  /** Map order is recency order: the first key is the least recently used. */
  readonly #entries = new Map<string, CachedAggregate>();

  constructor(
    readonly capacity: number,
    private readonly metrics: Metrics,
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new Error(`an aggregate cache holds a positive whole number of aggregates, got ${capacity}`);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The entry (frozen: restore from it by copying), made the most recently used; null on a miss. Counts hits and misses. */
  get(streamId: string, aggregateType: string): CachedAggregate | null {
    const entry = this.#entries.get(streamId);
    if (entry === undefined) {
      this.metrics.record('AggregateCacheMisses', 1, 'Count', { AggregateType: aggregateType });
      return null;
    }
    this.#entries.delete(streamId);
    this.#entries.set(streamId, entry);
    this.metrics.record('AggregateCacheHits', 1, 'Count', { AggregateType: aggregateType });
    return entry;
  }

  /** Whether an entry exists, without counting a lookup or touching recency. */
  has(streamId: string): boolean {
    return this.#entries.has(streamId);
  }

  /** The stream ids held, least recently used first. */
  keys(): string[] {
    return [...this.#entries.keys()];
  }

  /**
   * Keeps a copy of the snapshot unless the entry already holds a later version (a slow load must not
   * take back what a save put there), and evicts the least recently used beyond the capacity.
   */
  put(streamId: string, snapshot: AggregateSnapshot<unknown>, headHash?: string): void {
    const held = this.#entries.get(streamId);
    if (held !== undefined && held.version > snapshot.version) return;
    this.#entries.delete(streamId);
    this.#entries.set(streamId, deepFreeze({ ...snapshot, state: structuredClone(snapshot.state), ...(headHash === undefined ? {} : { headHash }) }));
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value as string;
      const type = (this.#entries.get(oldest) as CachedAggregate).aggregateType;
      this.#entries.delete(oldest);
      this.metrics.record('AggregateCacheEvictions', 1, 'Count', { AggregateType: type, Reason: 'Capacity' satisfies EvictionReason });
    }
  }

  /** Drops the entry if it holds `upToVersion` or earlier: a later one, put by a command that won since, stays. */
  evict(streamId: string, upToVersion = Number.POSITIVE_INFINITY): void {
    const held = this.#entries.get(streamId);
    if (held === undefined || held.version > upToVersion) return;
    this.#entries.delete(streamId);
    this.metrics.record('AggregateCacheEvictions', 1, 'Count', { AggregateType: held.aggregateType, Reason: 'Stale' satisfies EvictionReason });
  }
}
