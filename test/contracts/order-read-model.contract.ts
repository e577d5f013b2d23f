import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { OrderReadModel, OrderSummary } from '../../src/application/ports/order-read-model.js';

const aSummary = (overrides: Partial<OrderSummary> = {}): OrderSummary => ({
  orderId: randomUUID(),
  customerId: randomUUID(),
  status: 'CREATED',
  totalAmount: 4918,
  currency: 'EUR',
  itemCount: 2,
  createdAt: '2026-03-01T09:00:00.000Z',
  lastUpdated: '2026-03-01T09:00:00.000Z',
  version: 1,
  ...overrides,
});

/** What every order read-model adapter must do. `fixture` is called once per test and may share one database. */
export const orderReadModelContract = (adapter: string, fixture: () => OrderReadModel): void => {
  describe(`OrderReadModel contract: ${adapter}`, () => {
    it('knows nothing of an order it was never given', async () => {
      expect(await fixture().get(randomUUID())).toBeNull();
      expect(await fixture().listByCustomer(randomUUID())).toEqual([]);
    });

    it('round-trips every field', async () => {
      const readModel = fixture();
      const summary = aSummary({ totalAmount: Number.MAX_SAFE_INTEGER, itemCount: 0, status: 'DELIVERED', version: 4, lastUpdated: '2026-03-05T12:00:00.123Z' });
      await readModel.upsert(summary);
      expect(await readModel.get(summary.orderId)).toEqual(summary);
    });

    it('replaces a row on upsert rather than adding another', async () => {
      const readModel = fixture();
      const summary = aSummary();
      await readModel.upsert(summary);
      const shipped = { ...summary, status: 'SHIPPED', version: 3, lastUpdated: '2026-03-03T09:00:00.000Z' };
      await readModel.upsert(shipped);
      expect(await readModel.get(summary.orderId)).toEqual(shipped);
      expect(await readModel.listByCustomer(summary.customerId)).toEqual([shipped]);
    });

    it('keeps the newer row when an older version arrives late (a re-delivery, an instance that lost its lease)', async () => {
      const readModel = fixture();
      const summary = aSummary({ status: 'SHIPPED', version: 3 });
      await readModel.upsert(summary);
      await readModel.upsert({ ...summary, status: 'CONFIRMED', version: 2 });
      await readModel.upsert({ ...summary, status: 'CANCELLED', version: 3 });
      expect(await readModel.get(summary.orderId)).toEqual(summary);
    });

    it('reads and writes a batch of rows at once, each keeping the newer version', async () => {
      const readModel = fixture();
      const [a, b, c] = [aSummary({ version: 2 }), aSummary({ version: 1 }), aSummary({ version: 1 })];
      await readModel.upsert(a);
      expect(await readModel.getMany([])).toEqual(new Map());
      await readModel.upsertMany([]);
      await readModel.upsertMany([{ ...a, status: 'CONFIRMED', version: 1 }, b, { ...c, status: 'SHIPPED', totalAmount: Number.MAX_SAFE_INTEGER }]);
      const unknown = randomUUID();
      expect(await readModel.getMany([a.orderId, b.orderId, c.orderId, unknown])).toEqual(
        new Map([
          [a.orderId, a],
          [b.orderId, b],
          [c.orderId, { ...c, status: 'SHIPPED', totalAmount: Number.MAX_SAFE_INTEGER }],
        ]),
      );
      const many = Array.from({ length: 230 }, () => aSummary());
      await readModel.upsertMany(many);
      expect((await readModel.getMany(many.map((s) => s.orderId))).size).toBe(230);
    });

    it("lists a customer's orders oldest first, and only theirs", async () => {
      const readModel = fixture();
      const customerId = randomUUID();
      const newer = aSummary({ customerId, createdAt: '2026-03-02T09:00:00.000Z' });
      const older = aSummary({ customerId, createdAt: '2026-03-01T09:00:00.000Z' });
      const newest = aSummary({ customerId, createdAt: '2026-03-03T09:00:00.000Z' });
      for (const summary of [newer, aSummary(), newest, older]) await readModel.upsert(summary);
      expect((await readModel.listByCustomer(customerId)).map((s) => s.orderId)).toEqual([older.orderId, newer.orderId, newest.orderId]);
    });

    it('hands out copies: changing a returned row changes nothing stored', async () => {
      const readModel = fixture();
      const summary = aSummary();
      await readModel.upsert(summary);
      const fetched = (await readModel.get(summary.orderId)) as { status: string };
      fetched.status = 'TAMPERED';
      expect((await readModel.get(summary.orderId))?.status).toBe('CREATED');
    });
  });
};
