import { expect } from 'vitest';
import type { Api } from './api-client.js';

export interface WalkthroughIds {
  readonly customerId: string;
  readonly orderId: string;
  readonly paymentId: string;
  readonly sku: string;
}

export const walkthroughIds = (suffix: string): WalkthroughIds => ({
  customerId: `c-${suffix}`,
  orderId: `o-${suffix}`,
  paymentId: `p-${suffix}`,
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

/** Each step of the README walkthrough, in order: the request and the status it must get. */
export const walkthroughSteps = (ids: WalkthroughIds): readonly (readonly [name: string, path: string, body: unknown, status: number])[] => [
  ['register customer', '/customers', { customerId: ids.customerId, personal: { name: 'Ada Lovelace', email: 'ada@example.com', address: '12 St James Square, London' } }, 201],
  ['receive stock', `/inventory/${ids.sku}/receive`, { quantity: 10 }, 200],
  ['place order', '/orders', placeOrderBody(ids), 201],
  ['reserve stock', `/inventory/${ids.sku}/reserve`, { orderId: ids.orderId, quantity: 2 }, 200],
  ['request payment', '/payments', { paymentId: ids.paymentId, orderId: ids.orderId, amount: TOTAL, currency: 'EUR', paymentMethodToken: 'tok_visa_4242' }, 201],
  ['complete payment', `/payments/${ids.paymentId}/complete`, { transactionId: `txn-${ids.paymentId}`, gateway: { status: 'SUCCESS', reference: 'gw-1' } }, 200],
  ['confirm order', `/orders/${ids.orderId}/confirm`, { paymentId: ids.paymentId }, 200],
  ['allocate stock', `/inventory/${ids.sku}/allocate`, { orderId: ids.orderId }, 200],
  ['ship order', `/orders/${ids.orderId}/ship`, { carrier: 'DHL', trackingNumber: 'JD0146' }, 200],
  ['deliver order', `/orders/${ids.orderId}/deliver`, undefined, 200],
];

/** Runs the walkthrough's commands, each checked for its status. */
export const runWalkthrough = async (api: Api, ids: WalkthroughIds, headers: Record<string, string> = {}): Promise<void> => {
  for (const [name, path, body, status] of walkthroughSteps(ids)) {
    const response = await api.post(path, body, headers);
    expect({ step: name, status: response.status, body: response.body }).toMatchObject({ step: name, status });
  }
};
