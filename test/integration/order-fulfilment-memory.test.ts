import { describe, expect, it } from 'vitest';
import { InMemoryMetrics } from '../../src/adapters/memory/in-memory-metrics.js';
import { ctx, openFulfilmentApp } from '../support/fulfilment-app.js';
import { fulfilmentSuite } from './order-fulfilment.suite.js';

fulfilmentSuite('memory', () => openFulfilmentApp({ store: 'memory' }));

describe('order fulfilment metrics', () => {
  it('counts workflows started and finished by outcome, and reports those in flight, the oldest one and those past their deadline', async () => {
    const env = await openFulfilmentApp({ store: 'memory' });
    const { app } = env;
    const metrics = app.metrics;
    if (!(metrics instanceof InMemoryMetrics)) throw new Error('the memory environment records metrics in memory');
    (await app.customers.handle({ type: 'RegisterCustomer', customerId: 'c-m', personal: { name: 'Ada', email: 'ada@example.com', address: '1 Road' } }, ctx()))._unsafeUnwrap();
    (await app.inventory.handle({ type: 'ReceiveStock', sku: 'SKU-M', quantity: 10 }, ctx()))._unsafeUnwrap();
    const place = async (orderId: string, paymentMethodToken: string) =>
      (
        await app.orders.handle(
          {
            type: 'PlaceOrder',
            orderId,
            customerId: 'c-m',
            currency: 'EUR',
            lines: [{ sku: 'SKU-M', quantity: 1, unitPrice: 500 }],
            shippingAddress: { line1: '1 Road', city: 'Porto', postalCode: '4000', country: 'PT' },
            paymentMethodToken,
          },
          ctx(),
        )
      )._unsafeUnwrap();
    await place('o-ok', 'tok_approve');
    await place('o-declined', 'tok_decline');
    await env.run();
    await env.advance(60_000);
    await place('o-silent', 'tok_silent');
    await env.run();
    await app.fulfilment.refreshGauges();
    const last = (name: Parameters<InMemoryMetrics['samples']>[0]) => metrics.samples(name).at(-1)?.value;
    expect(last('WorkflowsInFlight')).toBe(1);
    expect(last('WorkflowOldestInFlight')).toBe(0);
    expect(last('WorkflowsPastDeadline')).toBe(0);
    await env.answerGateway(16 * 60_000);
    await app.fulfilment.refreshGauges();
    expect(last('WorkflowsPastDeadline')).toBe(1);
    expect(last('WorkflowOldestInFlight')).toBe(16 * 60_000);
    await env.run();
    await app.fulfilment.refreshGauges();
    expect(last('WorkflowsInFlight')).toBe(0);
    expect(metrics.samples('WorkflowsStarted')).toHaveLength(3);
    const outcomes = metrics.samples('WorkflowsFinished').map((sample) => sample.dimensions.Outcome);
    expect(outcomes.sort()).toEqual(['COMPENSATED', 'COMPLETED', 'TIMED_OUT']);
    await env.close();
  });
});
