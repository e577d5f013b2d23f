import type { AggregateDefinition } from '../shared/aggregate.js';
import type { Money } from '../shared/money.js';
import { PAYMENT_EVENT_TYPES, type PaymentEvent } from './payment-events.js';

export type PaymentStatus = 'NEW' | 'REQUESTED' | 'PROCESSED' | 'FAILED' | 'CANCELLED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';

export interface PaymentState {
  readonly status: PaymentStatus;
  readonly orderId: string | null;
  readonly amount: Money | null;
  readonly paymentMethodToken: string | null;
  readonly transactionId: string | null;
  readonly refunded: number;
  readonly failureReason: string | null;
}

const initialState = (): PaymentState => ({
  status: 'NEW',
  orderId: null,
  amount: null,
  paymentMethodToken: null,
  transactionId: null,
  refunded: 0,
  failureReason: null,
});

const evolve = (state: PaymentState, event: PaymentEvent): PaymentState => {
  switch (event.type) {
    case 'PaymentRequested':
      return { ...state, status: 'REQUESTED', ...event.data };
    case 'PaymentProcessed':
      return { ...state, status: 'PROCESSED', transactionId: event.data.transactionId };
    case 'PaymentFailed':
      return { ...state, status: 'FAILED', transactionId: event.data.transactionId, failureReason: event.data.reason };
    case 'PaymentCancelled':
      return { ...state, status: 'CANCELLED' };
    case 'PaymentRefunded': {
      const refunded = state.refunded + event.data.amount.amount;
      return { ...state, refunded, status: refunded >= (state.amount?.amount ?? 0) ? 'REFUNDED' : 'PARTIALLY_REFUNDED' };
    }
    default: {
      const unknown: never = event;
      throw new Error(`unhandled payment event ${JSON.stringify(unknown)}`);
    }
  }
};

export const Payment: AggregateDefinition<PaymentState, PaymentEvent> = {
  type: 'Payment',
  stateSchemaVersion: 1,
  eventTypes: PAYMENT_EVENT_TYPES,
  initialState,
  evolve,
};
