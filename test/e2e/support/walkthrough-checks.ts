import { expect } from 'vitest';
import { eventually, type Api } from './api-client.js';
import { TOTAL, type WalkthroughIds } from './walkthrough.js';

/**
 * What the README walkthrough leaves behind, read over HTTP whatever the store: every read model (followed a
 * moment behind the commands), the audit trail with the metadata the commands carried, the order as of a
 * version and as of a time, and the order summary as of that time. `metadata` is what the walkthrough's
 * headers should have recorded in its first event.
 */
export const expectWalkthroughOutcome = async (api: Api, ids: WalkthroughIds, metadata: { correlationId: string; actor: string }): Promise<void> => {
  const summary = await eventually(async () => {
    const response = await api.get(`/orders/${ids.orderId}`);
    expect(response.body).toMatchObject({ status: 'DELIVERED' });
    return response.body;
  });
  expect(summary).toMatchObject({ orderId: ids.orderId, customerId: ids.customerId, totalAmount: TOTAL, currency: 'EUR', itemCount: 2, version: 4 });
  await eventually(async () => expect((await api.get(`/customers/${ids.customerId}/orders`)).body).toEqual([summary]));
  const stock = await eventually(async () => {
    const response = await api.get(`/inventory/${ids.sku}`);
    expect(response.body).toMatchObject({ version: 3 });
    return response.body;
  });
  expect(stock).toMatchObject({ onHand: 10, reserved: 0, allocated: 2, available: 8 });
  const history = await eventually(async () => {
    const response = await api.get(`/customers/${ids.customerId}/support-history`);
    expect(response.body).toHaveLength(7);
    return response.body as { kind: string }[];
  });
  expect(history.map((entry) => entry.kind)).toEqual(['ACCOUNT', 'ORDER', 'PAYMENT', 'PAYMENT', 'ORDER', 'ORDER', 'ORDER']);

  const audit = await api.get(`/aggregates/order/${ids.orderId}/events?limit=3`);
  expect(audit.status).toBe(200);
  expect(audit.body.events.map((e: { type: string }) => e.type)).toEqual(['OrderCreated', 'OrderConfirmed', 'OrderShipped']);
  expect(audit.body.events[0].metadata).toEqual({ correlationId: metadata.correlationId, causationId: null, actor: metadata.actor });
  expect(audit.body.nextAfterVersion).toBe(3);
  const rest = await api.get(`/aggregates/order/${ids.orderId}/events?afterVersion=3`);
  expect(rest.body).toMatchObject({ nextAfterVersion: null, events: [{ type: 'OrderDelivered', version: 4 }] });

  const confirmedAt: string = audit.body.events[1].occurredAt;
  const byVersion = await api.get(`/aggregates/order/${ids.orderId}?asOfVersion=2`);
  expect(byVersion.body).toMatchObject({ type: 'Order', id: ids.orderId, version: 2, state: { status: 'CONFIRMED', paymentId: ids.paymentId, totalAmount: TOTAL } });
  const byTime = await api.get(`/aggregates/order/${ids.orderId}?asOf=${encodeURIComponent(confirmedAt)}`);
  expect(byTime.body).toMatchObject({ version: 2, lastModifiedAt: confirmedAt, state: { status: 'CONFIRMED' } });
  const readModelThen = await api.get(`/orders/${ids.orderId}?asOf=${encodeURIComponent(confirmedAt)}`);
  expect(readModelThen.body).toMatchObject({ status: 'CONFIRMED', version: 2 });
};
