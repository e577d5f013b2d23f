import { describe, expect, it } from 'vitest';
import { InMemoryMetrics } from '../../../src/adapters/memory/in-memory-metrics.js';
import { AggregateCache } from '../../../src/application/repository/aggregate-cache.js';
import type { AggregateSnapshot } from '../../../src/domain/index.js';

interface Stock {
  onHand: number;
  reservations: { orderId: string; quantity: number }[];
}

const aSnapshot = (id: string, version: number, state: Stock = { onHand: version, reservations: [] }): AggregateSnapshot<Stock> => ({
  aggregateType: 'Inventory',
  aggregateId: id,
  version,
  stateSchemaVersion: 1,
  state,
  createdAt: '2026-03-01T09:00:00.000Z',
  lastModifiedAt: '2026-03-01T09:00:00.000Z',
});

const cacheOf = (capacity: number) => {
  const metrics = new InMemoryMetrics();
  return { cache: new AggregateCache(capacity, metrics), metrics };
};

describe('AggregateCache', () => {
  it('holds at most its capacity, letting the least recently used go first', () => {
    const { cache } = cacheOf(3);
    for (const id of ['a', 'b', 'c']) cache.put(`Inventory-${id}`, aSnapshot(id, 1));
    // Reading a makes b the least recently used.
    expect(cache.get('Inventory-a', 'Inventory')).not.toBeNull();
    cache.put('Inventory-d', aSnapshot('d', 1));
    expect(cache.size).toBe(3);
    expect(cache.keys()).toEqual(['Inventory-c', 'Inventory-a', 'Inventory-d']);
    // Saving c again makes it the most recent, so a is next out.
    cache.put('Inventory-c', aSnapshot('c', 2));
    cache.put('Inventory-e', aSnapshot('e', 1));
    expect(cache.keys()).toEqual(['Inventory-d', 'Inventory-c', 'Inventory-e']);
    expect(cache.get('Inventory-a', 'Inventory')).toBeNull();
    expect(cache.get('Inventory-b', 'Inventory')).toBeNull();
  });

  it('keeps a copy: changing what was put, or trying to change what comes out, leaves the entry as it was', () => {
    const { cache } = cacheOf(10);
    const state: Stock = { onHand: 5, reservations: [{ orderId: 'o-1', quantity: 2 }] };
    cache.put('Inventory-a', aSnapshot('a', 3, state));
    state.onHand = 99;
    state.reservations.push({ orderId: 'o-2', quantity: 1 });
    const entry = cache.get('Inventory-a', 'Inventory') as AggregateSnapshot<Stock>;
    expect(entry.state).toEqual({ onHand: 5, reservations: [{ orderId: 'o-1', quantity: 2 }] });
    expect(() => {
      entry.state.onHand = 0;
    }).toThrow(TypeError);
    expect(() => entry.state.reservations.push({ orderId: 'o-3', quantity: 1 })).toThrow(TypeError);
    expect((cache.get('Inventory-a', 'Inventory') as AggregateSnapshot<Stock>).state).toEqual({ onHand: 5, reservations: [{ orderId: 'o-1', quantity: 2 }] });
  });

  it('never takes an entry back to an earlier version (a slow load after a save)', () => {
    const { cache } = cacheOf(10);
    cache.put('Inventory-a', aSnapshot('a', 4));
    cache.put('Inventory-a', aSnapshot('a', 3));
    expect(cache.get('Inventory-a', 'Inventory')?.version).toBe(4);
    cache.put('Inventory-a', aSnapshot('a', 5));
    expect(cache.get('Inventory-a', 'Inventory')?.version).toBe(5);
  });

  it('evicts a stale entry, but keeps one later than the version a conflicting command started from', () => {
    const { cache } = cacheOf(10);
    cache.put('Inventory-a', aSnapshot('a', 4));
    cache.evict('Inventory-a', 3);
    expect(cache.has('Inventory-a')).toBe(true);
    cache.evict('Inventory-a', 4);
    expect(cache.has('Inventory-a')).toBe(false);
    cache.put('Inventory-b', aSnapshot('b', 7));
    cache.evict('Inventory-b');
    expect(cache.has('Inventory-b')).toBe(false);
  });

  it('counts hits, misses and evictions by aggregate type and reason', () => {
    const { cache, metrics } = cacheOf(1);
    cache.get('Inventory-a', 'Inventory');
    cache.put('Inventory-a', aSnapshot('a', 1));
    cache.get('Inventory-a', 'Inventory');
    cache.get('Inventory-a', 'Inventory');
    cache.put('Inventory-b', aSnapshot('b', 1));
    cache.evict('Inventory-b');
    cache.evict('Inventory-b');
    expect(metrics.samples('AggregateCacheMisses').map((s) => s.dimensions)).toEqual([{ AggregateType: 'Inventory' }]);
    expect(metrics.samples('AggregateCacheHits')).toHaveLength(2);
    expect(metrics.samples('AggregateCacheEvictions').map((s) => s.dimensions)).toEqual([
      { AggregateType: 'Inventory', Reason: 'Capacity' },
      { AggregateType: 'Inventory', Reason: 'Stale' },
    ]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a capacity of %s', (capacity) => {
    expect(() => new AggregateCache(capacity, new InMemoryMetrics())).toThrow(/positive whole number/);
  });
});
