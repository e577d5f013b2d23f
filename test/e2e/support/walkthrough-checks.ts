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
  expect(summary).toMatchObject({ orderId: ids.orderId, customerId: ids.customerId, totalAmount: TOTAL, currency: 'EUR', itemCount: 2, version: 5 });
  await eventually(async () => expect((await api.get(`/customers/${ids.customerId}/orders`)).body).toEqual([summary]));
  const stock = await eventually(async () => {
    const response = await api.get(`/inventory/${ids.sku}`);
    expect(response.body).toMatchObject({ version: 3 });
    return response.body;
  });
  expect(stock).toMatchObject({ onHand: 10, reserved: 0, allocated: 2, available: 8 });
  const history = await eventually(async () => {
    const response = await api.get(`/customers/${ids.customerId}/support-history`);
    expect(response.body).toHaveLength(8);
    return response.body as { kind: string }[];
  });
  // Registered, placed, payment method given, payment requested and processed, confirmed, shipped, delivered.
  expect(history.map((entry) => entry.kind)).toEqual(['ACCOUNT', 'ORDER', 'ORDER', 'PAYMENT', 'PAYMENT', 'ORDER', 'ORDER', 'ORDER']);

  const audit = await api.get(`/aggregates/order/${ids.orderId}/events?limit=3`);
  expect(audit.status).toBe(200);
  expect(audit.body.events.map((e: { type: string }) => e.type)).toEqual(['OrderCreated', 'OrderPaymentMethodProvided', 'OrderConfirmed']);
  expect(audit.body.events[0].metadata).toEqual({ correlationId: metadata.correlationId, causationId: null, actor: metadata.actor });
  expect(audit.body.nextAfterVersion).toBe(3);
  const rest = await api.get(`/aggregates/order/${ids.orderId}/events?afterVersion=3`);
  expect(rest.body).toMatchObject({ nextAfterVersion: null, events: [{ type: 'OrderShipped', version: 4 }, { type: 'OrderDelivered', version: 5 }] });
  // The workflow confirmed the order: its events say so, and which input caused them.
  expect(audit.body.events[2].metadata).toMatchObject({ correlationId: metadata.correlationId, actor: 'order-fulfilment', causationId: expect.any(String) });

  // The gateway's webhook completed the payment under the checkout's correlation id, which the charge carried.
  const payment = await api.get(`/aggregates/payment/${encodeURIComponent(ids.paymentId)}/events`);
  expect(payment.body.events.map((e: { type: string; metadata: { actor: string; correlationId: string } }) => [e.type, e.metadata.actor, e.metadata.correlationId])).toEqual([
    ['PaymentRequested', 'order-fulfilment', metadata.correlationId],
    ['PaymentProcessed', 'payment-gateway', metadata.correlationId],
  ]);

  const confirmedAt: string = audit.body.events[2].occurredAt;
  const byVersion = await api.get(`/aggregates/order/${ids.orderId}?asOfVersion=3`);
  expect(byVersion.body).toMatchObject({ type: 'Order', id: ids.orderId, version: 3, state: { status: 'CONFIRMED', paymentId: ids.paymentId, totalAmount: TOTAL } });
  const byTime = await api.get(`/aggregates/order/${ids.orderId}?asOf=${encodeURIComponent(confirmedAt)}`);
  expect(byTime.body).toMatchObject({ version: 3, lastModifiedAt: confirmedAt, state: { status: 'CONFIRMED' } });
  const readModelThen = await api.get(`/orders/${ids.orderId}?asOf=${encodeURIComponent(confirmedAt)}`);
  expect(readModelThen.body).toMatchObject({ status: 'CONFIRMED', version: 3 });
};
