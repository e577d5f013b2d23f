import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { InventoryLevel, ReadModelCatalog, SupportHistoryEntry } from '../../src/application/ports/read-models.js';

const aLevel = (overrides: Partial<InventoryLevel> = {}): InventoryLevel => ({
  sku: `SKU-${randomUUID()}`,
  onHand: 10,
  reserved: 3,
  allocated: 2,
  available: 5,
  version: 4,
  lastUpdated: '2026-03-01T09:00:00.000Z',
  ...overrides,
});

const anEntry = (customerId: string, at: string, overrides: Partial<SupportHistoryEntry> = {}): SupportHistoryEntry => ({
  customerId,
  eventId: randomUUID(),
  at,
  kind: 'CONTACT',
  eventType: 'SupportInteractionRecorded',
  streamId: `Customer-${customerId}`,
  summary: 'PHONE with bob: asked about delivery',
  ...overrides,
});

/** What every read-model catalog must do: inventory levels, support history, generations kept apart. */
export const readModelCatalogContract = (adapter: string, fixture: () => ReadModelCatalog): void => {
  describe(`ReadModelCatalog contract: ${adapter}`, () => {
    it('round-trips inventory levels and lists them by SKU', async () => {
      const generation = `g-${randomUUID()}`;
      const levels = fixture().inventory(generation);
      const b = aLevel({ sku: `B-${randomUUID()}` });
      const a = aLevel({ sku: `A-${randomUUID()}`, onHand: 0, reserved: 0, allocated: 0, available: 0, version: 1 });
      await levels.upsert(b);
      await levels.upsert(a);
      await levels.upsert({ ...b, reserved: 1, available: 7, version: 5 });
      expect(await levels.get(a.sku)).toEqual(a);
      expect(await levels.get(b.sku)).toMatchObject({ reserved: 1, available: 7, version: 5 });
      expect((await levels.list()).map((l) => l.sku)).toEqual([a.sku, b.sku]);
      expect(await levels.get(`SKU-${randomUUID()}`)).toBeNull();
      // A late write of an older version leaves the newer row as it is.
      await levels.upsert({ ...b, reserved: 9, available: 0, version: 4 });
      expect(await levels.get(b.sku)).toMatchObject({ reserved: 1, version: 5 });
    });

    it('reads and writes a batch of inventory levels at once, each keeping the newer version', async () => {
      const levels = fixture().inventory(`g-${randomUUID()}`);
      const [a, b] = [aLevel({ version: 3 }), aLevel({ version: 1 })];
      await levels.upsert(a);
      expect(await levels.getMany([])).toEqual(new Map());
      await levels.upsertMany([]);
      await levels.upsertMany([{ ...a, onHand: 1, version: 2 }, b]);
      expect(await levels.getMany([a.sku, b.sku, `SKU-${randomUUID()}`])).toEqual(new Map([[a.sku, a], [b.sku, b]]));
      const many = Array.from({ length: 130 }, () => aLevel());
      await levels.upsertMany(many);
      expect((await levels.getMany(many.map((l) => l.sku))).size).toBe(130);
    });

    it("serves what a generation's sole writer wrote through the ordinary catalog", async () => {
      const catalog = fixture();
      const sole = catalog.soleWriter?.() ?? catalog;
      const generation = `g-${randomUUID()}`;
      const many = Array.from({ length: 60 }, (_, index) => aLevel({ version: index + 1 }));
      await sole.inventory(generation).upsertMany(many);
      await sole.orders(generation).upsertMany([
        { orderId: 'o-1', customerId: 'c-1', status: 'CREATED', totalAmount: 100, currency: 'EUR', itemCount: 1, createdAt: '2026-03-01T09:00:00.000Z', lastUpdated: '2026-03-01T09:00:00.000Z', version: 1 },
      ]);
      expect(await catalog.inventory(generation).getMany(many.map((level) => level.sku))).toEqual(new Map(many.map((level) => [level.sku, level])));
      expect((await catalog.orders(generation).listByCustomer('c-1')).map((order) => order.orderId)).toEqual(['o-1']);
      // Once the generation is live, the ordinary catalog's writes keep the newer row again.
      const [first] = many as [InventoryLevel];
      await catalog.inventory(generation).upsertMany([{ ...first, onHand: 0, version: 0 }]);
      expect(await catalog.inventory(generation).get(first.sku)).toEqual(first);
    });

    it('keeps a support history in time order and ignores a re-delivered event', async () => {
      const history = fixture().support(`g-${randomUUID()}`);
      const customerId = randomUUID();
      const later = anEntry(customerId, '2026-03-02T09:00:00.000Z', { kind: 'ORDER', eventType: 'OrderCreated' });
      const earlier = anEntry(customerId, '2026-03-01T09:00:00.000Z', { kind: 'ACCOUNT', eventType: 'CustomerRegistered' });
      await history.add(later);
      await history.add(earlier);
      await history.add({ ...later, summary: 'changed on re-delivery' });
      await history.add(anEntry(randomUUID(), '2026-03-01T10:00:00.000Z'));
      expect(await history.history(customerId)).toEqual([earlier, later]);
    });

    it("scrubs a customer's contact summaries and nothing else (GDPR erasure)", async () => {
      const history = fixture().support(`g-${randomUUID()}`);
      const customerId = randomUUID();
      const contact = anEntry(customerId, '2026-03-01T09:00:00.000Z');
      const order = anEntry(customerId, '2026-03-02T09:00:00.000Z', { kind: 'ORDER', eventType: 'OrderCreated', summary: 'order o-1 placed' });
      const someoneElse = anEntry(randomUUID(), '2026-03-01T09:00:00.000Z');
      await history.addMany([contact, order, someoneElse]);
      await history.scrubContacts(customerId, '[erased]');
      expect(await history.history(customerId)).toEqual([{ ...contact, summary: '[erased]' }, order]);
      expect(await history.history(someoneElse.customerId)).toEqual([someoneElse]);
    });

    it('follows the links the support projection keeps', async () => {
      const history = fixture().support(`g-${randomUUID()}`);
      const from = `order:${randomUUID()}`;
      expect(await history.resolve(from)).toBeNull();
      await history.link(from, 'customer-1');
      expect(await history.resolve(from)).toBe('customer-1');
    });

    it('adds a batch of support entries at once, each event once', async () => {
      const history = fixture().support(`g-${randomUUID()}`);
      const customerId = randomUUID();
      const kept = anEntry(customerId, '2026-03-01T09:00:00.000Z');
      const [a, b] = [anEntry(customerId, '2026-03-03T09:00:00.000Z'), anEntry(customerId, '2026-03-02T09:00:00.000Z', { kind: 'ORDER', eventType: 'OrderCreated' })];
      await history.add(kept);
      await history.addMany([]);
      // Re-delivered events: one already there, one twice in the batch.
      await history.addMany([a, kept, b, a]);
      expect(await history.history(customerId)).toEqual([kept, b, a]);
      const other = randomUUID();
      const many = Array.from({ length: 130 }, (_, i) => anEntry(i % 2 === 0 ? customerId : other, `2026-03-04T09:00:${String(i % 60).padStart(2, '0')}.000Z`));
      await history.addMany(many);
      expect(await history.history(customerId)).toHaveLength(3 + 65);
      expect(await history.history(other)).toHaveLength(65);
    });

    it('links and resolves a batch of support links at once', async () => {
      const catalog = fixture();
      const generation = `g-${randomUUID()}`;
      const history = catalog.support(generation);
      const [known, taught, never] = [`order:${randomUUID()}`, `payment:${randomUUID()}`, `order:${randomUUID()}`];
      expect(await history.resolveMany([])).toEqual(new Map());
      await history.linkMany(new Map());
      await history.link(known, 'customer-1');
      await history.linkMany(new Map([[taught, 'order-1']]));
      expect(await history.resolveMany([known, taught, never, known])).toEqual(new Map([[known, 'customer-1'], [taught, 'order-1']]));
      expect(await history.resolve(taught)).toBe('order-1');
      expect(await catalog.support(`g-${randomUUID()}`).resolveMany([known, taught])).toEqual(new Map());
      const many = new Map(Array.from({ length: 130 }, () => [`order:${randomUUID()}`, `customer-${randomUUID()}`] as const));
      await history.linkMany(many);
      expect(await history.resolveMany([...many.keys()])).toEqual(many);
      await catalog.drop('support', generation);
      expect(await catalog.support(generation).resolveMany([known, taught])).toEqual(new Map());
    });

    it('keeps generations apart and drops one without touching another', async () => {
      const catalog = fixture();
      const live = `live-${randomUUID()}`;
      const fresh = `fresh-${randomUUID()}`;
      const level = aLevel();
      await catalog.inventory(live).upsert(level);
      await catalog.orders(live).upsert({
        orderId: randomUUID(),
        customerId: 'c',
        status: 'CREATED',
        totalAmount: 1,
        currency: 'EUR',
        itemCount: 1,
        createdAt: '2026-03-01T09:00:00.000Z',
        lastUpdated: '2026-03-01T09:00:00.000Z',
        version: 1,
      });
      expect(await catalog.inventory(fresh).get(level.sku)).toBeNull();
      await catalog.inventory(fresh).upsert({ ...level, onHand: 99 });
      await catalog.drop('inventory', live);
      expect(await catalog.inventory(live).get(level.sku)).toBeNull();
      expect(await catalog.inventory(fresh).get(level.sku)).toMatchObject({ onHand: 99 });
      expect(await catalog.orders(live).listByCustomer('c')).toHaveLength(1);
    });

    it('keeps the versions each generation applied, per stream, and drops them with the generation', async () => {
      const catalog = fixture();
      const [live, fresh] = [`live-${randomUUID()}`, `fresh-${randomUUID()}`];
      const [a, b, never] = [`Order-${randomUUID()}`, `Order-${randomUUID()}`, `Order-${randomUUID()}`];
      const versions = catalog.appliedVersions('orders', live);
      expect(await versions.get([a, b])).toEqual(new Map());
      await versions.set(new Map([[a, 3], [b, 1]]));
      await versions.set(new Map([[b, 2]]));
      expect(await versions.get([a, b, never])).toEqual(new Map([[a, 3], [b, 2]]));
      const many = Array.from({ length: 230 }, (_, i) => [`Order-${randomUUID()}`, i + 1] as const);
      await catalog.appliedVersions('orders', fresh).set(new Map(many));
      expect(await catalog.appliedVersions('orders', fresh).get(many.map(([s]) => s))).toEqual(new Map(many));
      expect(await catalog.appliedVersions('inventory', live).get([a])).toEqual(new Map());
      await catalog.drop('orders', live);
      expect(await catalog.appliedVersions('orders', live).get([a, b])).toEqual(new Map());
      expect((await catalog.appliedVersions('orders', fresh).get([many[0]?.[0] ?? ''])).size).toBe(1);
    });
  });
};
