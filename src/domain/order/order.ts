import type { AggregateDefinition } from '../shared/aggregate.js';
import { ORDER_EVENT_TYPES, type OrderEvent, type OrderLine, type ShippingAddress } from './order-events.js';

export type OrderStatus = 'NEW' | 'CREATED' | 'CONFIRMED' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED' | 'RETURNED';

export interface OrderState {
  readonly status: OrderStatus;
  readonly customerId: string | null;
  readonly lines: readonly OrderLine[];
  readonly currency: string | null;
  readonly totalAmount: number;
  readonly taxAmount: number;
  readonly taxRate: number;
  readonly shippingAddress: ShippingAddress | null;
  /** The provider token the order was placed with or given later; its payment is requested with it. */
  readonly paymentMethodToken: string | null;
  /** The payment the order was confirmed with. */
  readonly paymentId: string | null;
  readonly deliveredAt: string | null;
}

const initialState = (): OrderState => ({
  status: 'NEW',
  customerId: null,
  lines: [],
  currency: null,
  totalAmount: 0,
  taxAmount: 0,
  taxRate: 0,
  shippingAddress: null,
  paymentMethodToken: null,
  paymentId: null,
  deliveredAt: null,
});

const evolve = (state: OrderState, event: OrderEvent): OrderState => {
  switch (event.type) {
    case 'OrderCreated':
      return { ...state, status: 'CREATED', ...event.data };
    case 'OrderPaymentMethodProvided':
      return { ...state, paymentMethodToken: event.data.paymentMethodToken };
    case 'OrderConfirmed':
      return { ...state, status: 'CONFIRMED', paymentId: event.data.paymentId };
    case 'OrderShipped':
      return { ...state, status: 'SHIPPED' };
    case 'OrderDelivered':
      return { ...state, status: 'DELIVERED', deliveredAt: event.data.deliveredAt };
    case 'OrderCancelled':
      return { ...state, status: 'CANCELLED' };
    case 'OrderReturned':
      return { ...state, status: 'RETURNED' };
    default: {
      const unknown: never = event;
      throw new Error(`unhandled order event ${JSON.stringify(unknown)}`);
    }
  }
};

export const Order: AggregateDefinition<OrderState, OrderEvent> = {
  type: 'Order',
  // 2: the payment method token.
  stateSchemaVersion: 2,
  eventTypes: ORDER_EVENT_TYPES,
  initialState,
  evolve,
};
