import { describe, expect, it } from 'vitest';
import type { InMemoryEventStore } from '../../../src/adapters/memory/in-memory-event-store.js';
import type { AppendOptions, EventStore } from '../../../src/application/ports/event-store.js';
import { aContext, memoryCore } from '../application/memory-core.js';

/** The store, recording what each append was told it chains from and how it ended. */
const recording = (store: InMemoryEventStore, log: { previousHash: string | undefined; ok: boolean }[]): EventStore => ({
  append: async (streamId, events, expected, options?: AppendOptions) => {
    const result = await store.append(streamId, events, expected, options);
    log.push({ previousHash: options?.previousHash, ok: result.isOk() });
    return result;
  },
  readStream: (...args) => store.readStream(...args),
  readByType: (...args) => store.readByType(...args),
  close: () => store.close(),
});

describe('the repository and the audit chain', () => {
  for (const cacheSize of [0, 100]) {
    it(`passes the hash of the last event it loaded${cacheSize ? ' or cached' : ''} as the previous hash, so the store reads no head (cache ${cacheSize})`, async () => {
      const log: { previousHash: string | undefined; ok: boolean }[] = [];
      const core = memoryCore({ cacheSize, wrapStore: (store) => recording(store, log) });
      for (const quantity of [10, 5, 2]) (await core.inventory.handle({ type: 'ReceiveStock', sku: 'SKU-9', quantity }, aContext()))._unsafeUnwrap();
      const stored = await core.store.readStream('Inventory-SKU-9');
      expect(log).toEqual([
        { previousHash: undefined, ok: true },
        { previousHash: stored[0]?.hash, ok: true },
        { previousHash: stored[1]?.hash, ok: true },
      ]);
    });
  }

  it('recovers from a stale cached hash: the store refuses it as a conflict, the command reloads and lands', async () => {
    const log: { previousHash: string | undefined; ok: boolean }[] = [];
    const core = memoryCore({ cacheSize: 100, wrapStore: (store) => recording(store, log) });
    (await core.inventory.handle({ type: 'ReceiveStock', sku: 'SKU-8', quantity: 10 }, aContext()))._unsafeUnwrap();
    const entry = core.cache?.get('Inventory-SKU-8', 'Inventory');
    core.cache?.put('Inventory-SKU-8', entry as NonNullable<typeof entry>, 'f'.repeat(64));
    (await core.inventory.handle({ type: 'ReceiveStock', sku: 'SKU-8', quantity: 1 }, aContext()))._unsafeUnwrap();
    expect(log.map((entry) => entry.ok)).toEqual([true, false, true]);
    expect(log[1]?.previousHash).toBe('f'.repeat(64));
    expect((await core.store.readStream('Inventory-SKU-8')).map((event) => event.version)).toEqual([1, 2]);
  });
});
