import { millisAfter, type FulfilmentInput, type Money, type StockLine } from '../../domain/index.js';
import type { EventEnvelope } from '../events/envelope.js';

/** Settings every OrderPlaced input records, so that a replay decides what the first run decided. */
export interface FulfilmentTimeouts {
  /** How long an order may wait for its payment (default 15 minutes). */
  readonly paymentTimeoutMs: number;
  /** How long confirming and allocating may take once paid before the workflow counts as stuck. */
  readonly completionTimeoutMs: number;
}

export const DEFAULT_FULFILMENT_TIMEOUTS: FulfilmentTimeouts = { paymentTimeoutMs: 15 * 60_000, completionTimeoutMs: 5 * 60_000 };

export const FULFILMENT_WORKFLOW = 'order-fulfilment';

/** The payment the workflow requests for an order: one id per order, so a retried request is the same payment. */
export const fulfilmentPaymentId = (orderId: string): string => `${orderId}:payment`;

/** An input for the workflow of one order. */
export interface RoutedInput {
  readonly orderId: string;
  readonly input: FulfilmentInput;
}

/** Where a payment event belongs, and how much it captured: read from the payment itself (its events carry neither). */
export type PaymentFacts = (paymentId: string) => Promise<{ readonly orderId: string | null; readonly amount: Money | null }>;

const idOf = (streamId: string, type: string): string => streamId.slice(type.length + 1);

const mergedLines = (lines: readonly { sku: string; quantity: number }[]): StockLine[] => {
  const bySku = new Map<string, number>();
  for (const line of lines) bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + line.quantity);
  return [...bySku].map(([sku, quantity]) => ({ sku, quantity }));
};

type Data = Record<string, unknown>;

/**
 * The workflow's view of a committed event: which order's workflow it concerns and as what input; null for events
 * the workflow does not react to. Events arrive upcast to their current schema.
 */
export const inputOf = async (event: EventEnvelope, timeouts: FulfilmentTimeouts, payments: PaymentFacts): Promise<RoutedInput | null> => {
  const data = event.data as Data;
  switch (event.type) {
    case 'OrderCreated': {
      const orderId = idOf(event.streamId, 'Order');
      const lines = data.lines as { sku: string; quantity: number }[];
      return {
        orderId,
        input: {
          type: 'OrderPlaced',
          lines: mergedLines(lines),
          total: { amount: data.totalAmount as number, currency: data.currency as string },
          paymentId: fulfilmentPaymentId(orderId),
          deadlineIds: { payment: `${FULFILMENT_WORKFLOW}:${orderId}:payment`, completion: `${FULFILMENT_WORKFLOW}:${orderId}:completion` },
          paymentDueAt: millisAfter(event.occurredAt, timeouts.paymentTimeoutMs),
          completionTimeoutMs: timeouts.completionTimeoutMs,
        },
      };
    }
    case 'OrderPaymentMethodProvided':
      return { orderId: idOf(event.streamId, 'Order'), input: { type: 'PaymentMethodProvided', paymentMethodToken: data.paymentMethodToken as string } };
    case 'OrderConfirmed':
      return { orderId: idOf(event.streamId, 'Order'), input: { type: 'OrderConfirmed', paymentId: (data.paymentId as string | null) ?? null } };
    case 'OrderCancelled':
      return { orderId: idOf(event.streamId, 'Order'), input: { type: 'OrderCancelled', reason: data.reason as string } };
    case 'InventoryReserved':
      return { orderId: data.orderId as string, input: { type: 'StockReserved', sku: data.sku as string } };
    case 'InventoryReleased':
      return { orderId: data.orderId as string, input: { type: 'StockReleased', sku: data.sku as string } };
    case 'InventoryAllocated':
      return { orderId: data.orderId as string, input: { type: 'StockAllocated', sku: data.sku as string } };
    case 'PaymentProcessed':
    case 'PaymentFailed': {
      const paymentId = idOf(event.streamId, 'Payment');
      const facts = await payments(paymentId);
      if (facts.orderId === null) return null;
      if (event.type === 'PaymentFailed') return { orderId: facts.orderId, input: { type: 'PaymentDeclined', paymentId, reason: data.reason as string } };
      return facts.amount === null ? null : { orderId: facts.orderId, input: { type: 'PaymentSucceeded', paymentId, amount: facts.amount } };
    }
    default:
      return null;
  }
};
