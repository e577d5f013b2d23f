import { expect } from 'vitest';
import { eventually, type Api } from './api-client.js';

export interface WalkthroughIds {
  readonly customerId: string;
  readonly orderId: string;
  readonly paymentId: string;
  readonly sku: string;
}

export const walkthroughIds = (suffix: string): WalkthroughIds => ({
  customerId: `c-${suffix}`,
  orderId: `o-${suffix}`,
  // The payment the order-fulfilment workflow requests for the order.
  paymentId: `o-${suffix}:payment`,
  sku: `SKU-${suffix}`,
});

/** 2 x 19.99 EUR plus 23 % tax: 49.18 EUR. */
export const TOTAL = 4918;

export const placeOrderBody = (ids: WalkthroughIds) => ({
  orderId: ids.orderId,
  customerId: ids.customerId,
  currency: 'EUR',
  taxRate: 2300,
  lines: [{ sku: ids.sku, quantity: 2, unitPrice: 1999 }],
  shippingAddress: { line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4LB', country: 'GB' },
});

export const registerBody = (ids: WalkthroughIds) => ({
  customerId: ids.customerId,
  personal: { name: 'Ada Lovelace', email: 'ada@example.com', address: '12 St James Square, London' },
});

/** Who sends a step: the back end (a service token) or the customer placing the order (their own token). */
type Step = readonly [name: string, path: string, body: unknown, status: number, by?: 'customer'];

/**
 * The README walkthrough's short path: place the order with a payment method token; the order-fulfilment
 * workflow reserves, pays (the simulated gateway answers with a signed webhook), confirms and allocates by
 * itself; then the warehouse ships and the carrier delivers.
 */
export const walkthroughSteps = (ids: WalkthroughIds): { readonly placing: readonly Step[]; readonly shipping: readonly Step[] } => ({
  placing: [
    ['register customer', '/customers', registerBody(ids), 201],
    ['receive stock', `/inventory/${ids.sku}/receive`, { quantity: 10 }, 200],
    ['place order', '/orders', { ...placeOrderBody(ids), paymentMethodToken: 'tok_approve_visa' }, 201, 'customer'],
  ],
  shipping: [
    ['ship order', `/orders/${ids.orderId}/ship`, { carrier: 'DHL', trackingNumber: 'JD0146' }, 200],
    ['deliver order', `/orders/${ids.orderId}/deliver`, undefined, 200],
  ],
});

const send = async (api: Api, customer: Api, steps: readonly Step[], headers: Record<string, string>): Promise<void> => {
  for (const [name, path, body, status, by] of steps) {
    const response = await (by === 'customer' ? customer : api).post(path, body, headers);
    expect({ step: name, status: response.status, body: response.body }).toMatchObject({ step: name, status });
  }
};

/**
 * Runs the walkthrough's commands, each checked for its status, waiting for the workflow to complete the order before
 * shipping. `customer` places the order and follows its fulfilment (the README uses the customer's own token); `api`
 * sends the rest.
 */
export const runWalkthrough = async (api: Api, ids: WalkthroughIds, headers: Record<string, string> = {}, customer: Api = api): Promise<void> => {
  const { placing, shipping } = walkthroughSteps(ids);
  await send(api, customer, placing, headers);
  await eventually(async () => expect((await customer.get(`/orders/${ids.orderId}/fulfilment`)).body).toMatchObject({ step: 'COMPLETED', paymentId: ids.paymentId }), 30_000);
  await send(api, customer, shipping, headers);
};
