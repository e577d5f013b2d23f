import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Inventory, Order, Payment, type FulfilmentStep } from '../../src/domain/index.js';
import { FULFILMENT_WORKFLOW, fulfilmentPaymentId } from '../../src/application/workflows/fulfilment-inputs.js';
import { ctx, type FulfilmentApp } from '../support/fulfilment-app.js';

const SLOW_MS = 5_000;
const address = { line1: '1 Road', city: 'Porto', postalCode: '4000', country: 'PT' };

/**
 * The order-fulfilment workflow end to end on one store: every path of the issue, driven through the application
 * (commands in, the committed feed, the workflow, the simulated gateway's signed webhooks, deadlines by a moved clock).
 */
export const fulfilmentSuite = (store: string, open: () => Promise<FulfilmentApp>): void => {
  describe(`order fulfilment on ${store}`, () => {
    let env: FulfilmentApp;
    beforeAll(async () => {
      env = await open();
    }, 60_000);
    afterAll(async () => {
      await env?.close();
    });

    const unwrap = <T>(result: { isOk(): boolean; _unsafeUnwrap(): T; _unsafeUnwrapErr(): unknown }): T => {
      if (!result.isOk()) throw new Error(`set-up refused: ${JSON.stringify(result._unsafeUnwrapErr())}`);
      return result._unsafeUnwrap();
    };

    /** A registered customer, stock of each SKU, and a placed order for those lines. */
    const checkout = async (lines: { sku: string; quantity: number; stock: number }[], paymentMethodToken?: string) => {
      const { app } = env;
      const customerId = `c-${randomUUID().slice(0, 8)}`;
      const orderId = `o-${randomUUID().slice(0, 8)}`;
      unwrap(await app.customers.handle({ type: 'RegisterCustomer', customerId, personal: { name: 'Ada', email: 'ada@example.com', address: '1 Road' } }, ctx()));
      for (const line of lines) if (line.stock > 0) unwrap(await app.inventory.handle({ type: 'ReceiveStock', sku: line.sku, quantity: line.stock }, ctx()));
      unwrap(
        await app.orders.handle(
          {
            type: 'PlaceOrder',
            orderId,
            customerId,
            currency: 'EUR',
            taxRate: 2300,
            lines: lines.map(({ sku, quantity }) => ({ sku, quantity, unitPrice: 1999 })),
            shippingAddress: address,
            ...(paymentMethodToken === undefined ? {} : { paymentMethodToken }),
          },
          ctx('shopper'),
        ),
      );
      return orderId;
    };

    const sku = (): string => `SKU-${randomUUID().slice(0, 8)}`;
    const stepOf = async (orderId: string): Promise<FulfilmentStep | null> => {
      const view = await env.app.fulfilment.view(orderId);
      return view.isOk() ? view.value.step : null;
    };
    const reachStep = (orderId: string, step: FulfilmentStep) => env.until(async () => (await stepOf(orderId)) === step, `order ${orderId} to reach ${step}`);
    const state = async <S>(definition: Parameters<FulfilmentApp['app']['repository']['load']>[0], id: string): Promise<S> =>
      (await env.app.repository.load(definition, id))._unsafeUnwrap().state as S;
    const order = (id: string) => state<{ status: string; paymentId: string | null }>(Order, id);
    const payment = (id: string) => state<{ status: string; refunded: number; amount: { amount: number } | null }>(Payment, fulfilmentPaymentId(id));
    const stock = (id: string) => state<{ onHand: number; reservations: Record<string, number>; allocations: Record<string, number> }>(Inventory, id);

    it('places an order with a token and ends confirmed with its payment, the stock allocated', async () => {
      const a = sku();
      const orderId = await checkout([{ sku: a, quantity: 2, stock: 10 }], 'tok_approve_visa');
      await reachStep(orderId, 'COMPLETED');
      expect(await order(orderId)).toMatchObject({ status: 'CONFIRMED', paymentId: fulfilmentPaymentId(orderId) });
      expect(await payment(orderId)).toMatchObject({ status: 'PROCESSED', amount: { amount: 4918 } });
      expect(await stock(a)).toMatchObject({ onHand: 10, reservations: {}, allocations: { [orderId]: 2 } });
      const view = (await env.app.fulfilment.view(orderId))._unsafeUnwrap();
      expect(view).toMatchObject({ outcome: 'COMPLETED', pendingDeadline: null });
      expect(view.history.map((h) => h.input)).toEqual(['OrderPlaced', 'PaymentMethodProvided', 'StockReserved', 'PaymentSucceeded', 'OrderConfirmed', 'StockAllocated']);
    });

    it('waits for a payment method when the order came without one, then goes on', async () => {
      const a = sku();
      const orderId = await checkout([{ sku: a, quantity: 1, stock: 5 }]);
      await reachStep(orderId, 'AWAITING_PAYMENT_METHOD');
      const view = (await env.app.fulfilment.view(orderId))._unsafeUnwrap();
      expect(view.pendingDeadline).toEqual({ id: `${FULFILMENT_WORKFLOW}:${orderId}:payment`, dueAt: expect.any(String) });
      unwrap(await env.app.orders.handle({ type: 'ProvidePaymentMethod', orderId, paymentMethodToken: 'tok_approve_2' }, ctx('shopper')));
      await reachStep(orderId, 'COMPLETED');
    });

    it('releases the other lines and cancels the order when a line cannot be reserved', async () => {
      const [a, b] = [sku(), sku()];
      const orderId = await checkout(
        [
          { sku: a, quantity: 2, stock: 10 },
          { sku: b, quantity: 1, stock: 0 },
        ],
        'tok_approve_3',
      );
      await reachStep(orderId, 'CANCELLED');
      expect(await order(orderId)).toMatchObject({ status: 'CANCELLED' });
      expect(await stock(a)).toMatchObject({ reservations: {}, allocations: {} });
      expect((await env.app.fulfilment.view(orderId))._unsafeUnwrap()).toMatchObject({ outcome: 'COMPENSATED', cancelReason: expect.stringContaining(b) });
    });

    it('releases everything and cancels the order when the payment is declined', async () => {
      const a = sku();
      const orderId = await checkout([{ sku: a, quantity: 2, stock: 10 }], 'tok_decline_insufficient_funds');
      await reachStep(orderId, 'CANCELLED');
      expect(await payment(orderId)).toMatchObject({ status: 'FAILED' });
      expect(await order(orderId)).toMatchObject({ status: 'CANCELLED' });
      expect(await stock(a)).toMatchObject({ reservations: {} });
    });

    it('gives the order up when no payment arrives before the deadline, and a second firing does nothing', async () => {
      const a = sku();
      const orderId = await checkout([{ sku: a, quantity: 2, stock: 10 }], 'tok_silent_1');
      await reachStep(orderId, 'AWAITING_PAYMENT');
      // The workflow's payment is requested: nothing more is due, so a second one beside it is refused.
      const second = await env.app.payments.handle({ type: 'RequestPayment', paymentId: `${orderId}-manual`, orderId, amount: 1, currency: 'EUR', paymentMethodToken: 'tok_x' }, ctx());
      expect(second.isErr() && second.error).toMatchObject({ code: 'PAYMENT.EXCEEDS_AMOUNT_DUE', details: { amountDue: 0, totalAmount: 4918 } });
      await env.advance(15 * 60_000);
      await reachStep(orderId, 'CANCELLED');
      expect((await env.app.fulfilment.view(orderId))._unsafeUnwrap()).toMatchObject({ outcome: 'TIMED_OUT', pendingDeadline: null });
      expect(await payment(orderId)).toMatchObject({ status: 'CANCELLED' });
      expect(await order(orderId)).toMatchObject({ status: 'CANCELLED' });
      expect(await stock(a)).toMatchObject({ reservations: {} });
      const recorded = (await env.app.fulfilment.view(orderId))._unsafeUnwrap().history.length;
      const fired = await env.app.fulfilment.runner.receive(orderId, { id: 'deadline-again', at: env.clock.now(), input: { type: 'DeadlinePassed', deadlineId: `${FULFILMENT_WORKFLOW}:${orderId}:payment` } }, 'test');
      expect(fired.step).toBe('CANCELLED');
      expect((await env.app.fulfilment.view(orderId))._unsafeUnwrap().history).toHaveLength(recorded);
    });

    it('releases and refunds when the customer cancels after paying, before the order is confirmed', async () => {
      const a = sku();
      const orderId = await checkout([{ sku: a, quantity: 2, stock: 10 }], 'tok_slow_1');
      await reachStep(orderId, 'AWAITING_PAYMENT');
      // The webhook completes the payment at once; the workflow has not seen it yet when the customer cancels.
      await env.answerGateway(SLOW_MS);
      expect(await payment(orderId)).toMatchObject({ status: 'PROCESSED' });
      unwrap(await env.app.orders.handle({ type: 'CancelOrder', orderId, reason: 'changed my mind' }, ctx('shopper')));
      await reachStep(orderId, 'CANCELLED');
      await env.until(async () => (await payment(orderId)).status === 'REFUNDED', 'the refund');
      expect(await stock(a)).toMatchObject({ reservations: {} });
    });

    it('refunds a payment that completes after the order was cancelled', async () => {
      const a = sku();
      const orderId = await checkout([{ sku: a, quantity: 1, stock: 10 }], 'tok_slow_2');
      await reachStep(orderId, 'AWAITING_PAYMENT');
      unwrap(await env.app.orders.handle({ type: 'CancelOrder', orderId, reason: 'found it cheaper' }, ctx('shopper')));
      await env.answerGateway(SLOW_MS);
      await reachStep(orderId, 'CANCELLED');
      await env.until(async () => ['REFUNDED', 'CANCELLED'].includes((await payment(orderId)).status), 'the payment to be refunded or cancelled');
      const settled = await payment(orderId);
      // Either the webhook won (captured, then refunded) or the cancellation did (nothing captured): never kept.
      expect(settled.status === 'REFUNDED' ? settled.refunded : 0).toBe(settled.status === 'REFUNDED' ? 2459 : 0);
      expect(await stock(a)).toMatchObject({ reservations: {} });
    });

    it('refunds a completed order the customer cancels before it ships', async () => {
      const orderId = await checkout([{ sku: sku(), quantity: 1, stock: 3 }], 'tok_approve_5');
      await reachStep(orderId, 'COMPLETED');
      unwrap(await env.app.orders.handle({ type: 'CancelOrder', orderId, reason: 'ordered twice' }, ctx('shopper')));
      await env.until(async () => (await payment(orderId)).status === 'REFUNDED', 'the refund');
    });

    it('does nothing twice when the whole feed is delivered again (a crash before the checkpoint)', async () => {
      const [a, b, c] = [sku(), sku(), sku()];
      const completed = await checkout([{ sku: a, quantity: 1, stock: 3 }], 'tok_approve_4');
      // Compensated: its first line reserved then released, its second refused.
      const compensated = await checkout(
        [
          { sku: b, quantity: 1, stock: 3 },
          { sku: c, quantity: 1, stock: 0 },
        ],
        'tok_approve_6',
      );
      await reachStep(completed, 'COMPLETED');
      await reachStep(compensated, 'CANCELLED');
      const streams = [completed, compensated].flatMap((orderId) => [`Order-${orderId}`, `Payment-${fulfilmentPaymentId(orderId)}`, `OrderFulfilment-${orderId}`]).concat([a, b, c].map((s) => `Inventory-${s}`));
      const before = await Promise.all(streams.map((s) => env.app.eventStore.readStream(s)));
      // Every event since the start handed to the workflow again, as after a crash that lost the checkpoint: each
      // recorded output is sent again under the key it had, so nothing is reserved, paid or cancelled again.
      await env.app.fulfilment.replayAll();
      await env.run();
      const after = await Promise.all(streams.map((s) => env.app.eventStore.readStream(s)));
      expect(Object.fromEntries(streams.map((s, i) => [s, after[i]?.map((e) => e.type)]))).toEqual(Object.fromEntries(streams.map((s, i) => [s, before[i]?.map((e) => e.type)])));
    });
  });
};
