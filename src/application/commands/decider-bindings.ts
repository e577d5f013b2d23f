import { err, ok, type Result } from 'neverthrow';
import {
  Customer,
  decideCustomer,
  decideInventory,
  decideOrder,
  decidePayment,
  DEFAULT_RETURN_WINDOW_DAYS,
  Inventory,
  Order,
  Payment,
  type CustomerDomainCommand,
  type CustomerEvent,
  type CustomerFacts,
  type CustomerState,
  type InventoryDomainCommand,
  type InventoryEvent,
  type InventoryState,
  type OrderDomainCommand,
  type OrderEvent,
  type OrderFactsForPayment,
  type OrderFactsForStock,
  type OrderState,
  type PaymentDomainCommand,
  type PaymentEvent,
  type PaymentFacts,
  type PaymentState,
  CUSTOMER_ERRORS,
  INVENTORY_ERRORS,
  ORDER_ERRORS,
  PAYMENT_ERRORS,
} from '../../domain/index.js';
import { fulfilmentPaymentId } from '../workflows/fulfilment-inputs.js';
import type { CommandError } from './command-error.js';
import type { CommandHandler, DeciderBinding, FactsReader } from './command-handler.js';
import type { CustomerCommand, InventoryCommand, OrderCommand, PaymentCommand } from './commands.js';

// Facts are read from the other aggregate's current state when the command is decided. Nothing holds that state
// still until the append: the rules built on them are not transactional across aggregates, and the
// order-fulfilment workflow is the backstop for what changes in between.

const paymentFacts = async (reader: FactsReader, paymentId: string): Promise<Result<PaymentFacts | null, CommandError>> =>
  (await reader.current(Payment, paymentId)).map((payment) =>
    payment === null ? null : { paymentId, orderId: payment.orderId, status: payment.status, amount: payment.amount },
  );

interface OrderCommandFacts {
  readonly customer?: CustomerFacts;
  readonly payment?: PaymentFacts | null;
}

const orderFacts = async (command: OrderCommand, reader: FactsReader): Promise<Result<OrderCommandFacts, CommandError>> => {
  switch (command.type) {
    case 'PlaceOrder': {
      if (typeof command.customerId !== 'string' || command.customerId === '') return ok({ customer: { registered: false } });
      // A registration never reverts: a cached one is current, and saves a read.
      if (reader.cached(Customer, command.customerId)?.registered) return ok({ customer: { registered: true } });
      const customer = await reader.current(Customer, command.customerId);
      return customer.map((state) => ({ customer: { registered: state?.registered ?? false } }));
    }
    case 'ConfirmOrder':
      return command.paymentId ? (await paymentFacts(reader, command.paymentId)).map((payment) => ({ payment })) : ok({ payment: null });
    case 'ShipOrder': {
      // The payment to check is the one the order was confirmed with: the order's own state names it.
      const order = await reader.current(Order, command.orderId);
      if (order.isErr()) return err(order.error);
      const paymentId = order.value?.paymentId ?? null;
      return paymentId === null ? ok({ payment: null }) : (await paymentFacts(reader, paymentId)).map((payment) => ({ payment }));
    }
    default:
      return ok({});
  }
};

export const orderBinding = (
  options: { readonly returnWindowDays?: number } = {},
): DeciderBinding<OrderCommand, OrderState, OrderEvent, OrderDomainCommand, OrderCommandFacts> => ({
  definition: Order,
  aggregateIdOf: (command) => command.orderId,
  expects: (command) => (command.type === 'PlaceOrder' ? 'new' : 'existing'),
  facts: orderFacts,
  toDomain: (command, { now, facts }) => {
    switch (command.type) {
      case 'PlaceOrder':
        return { ...command, now, customer: facts.customer ?? { registered: false } };
      case 'ConfirmOrder':
        return { ...command, now, paymentId: command.paymentId ?? null, payment: facts.payment ?? null };
      case 'ShipOrder':
        return { ...command, now, payment: facts.payment ?? null };
      case 'ReturnOrder':
        return { ...command, now, returnWindowDays: options.returnWindowDays ?? DEFAULT_RETURN_WINDOW_DAYS };
      default:
        return { ...command, now };
    }
  },
  decide: decideOrder,
  cardNumbers: { inText: ORDER_ERRORS.CARD_NUMBER_IN_TEXT, asPaymentMethod: ORDER_ERRORS.CARD_NUMBER_REFUSED },
});

/** An order as a payment or a reservation sees it; null when it has no events. */
const orderOf = async <T>(reader: FactsReader, orderId: string, facts: (order: OrderState) => T): Promise<Result<T | null, CommandError>> =>
  (await reader.current(Order, orderId)).map((order) => (order === null ? null : facts(order)));

/**
 * The order a payment is requested for, and what is still due on it: its total less the order-fulfilment workflow's
 * payment when that one is requested or captured (a second payment beside it would pay twice). Payments requested by
 * hand for the same order are not looked up: nothing indexes payments by order, and confirming takes one payment only.
 */
const orderToPay = async (reader: FactsReader, orderId: string, paymentId: string): Promise<Result<OrderFactsForPayment | null, CommandError>> => {
  const order = await reader.current(Order, orderId);
  if (order.isErr() || order.value === null) return order.map(() => null);
  const { status, currency, totalAmount } = order.value;
  const workflowPaymentId = fulfilmentPaymentId(orderId);
  if (workflowPaymentId === paymentId) return ok({ status, currency, totalAmount, amountDue: totalAmount });
  const workflowPayment = await reader.current(Payment, workflowPaymentId);
  return workflowPayment.map((payment) => {
    const outstanding = payment !== null && (payment.status === 'REQUESTED' || payment.status === 'PROCESSED') ? (payment.amount?.amount ?? 0) : 0;
    return { status, currency, totalAmount, amountDue: Math.max(0, totalAmount - outstanding) };
  });
};

export const paymentBinding = (): DeciderBinding<PaymentCommand, PaymentState, PaymentEvent, PaymentDomainCommand, OrderFactsForPayment | null> => ({
  definition: Payment,
  aggregateIdOf: (command) => command.paymentId,
  expects: (command) => (command.type === 'RequestPayment' ? 'new' : 'existing'),
  facts: async (command, reader) => (command.type === 'RequestPayment' ? orderToPay(reader, command.orderId, command.paymentId) : ok(null)),
  toDomain: (command, { now, facts }) => (command.type === 'RequestPayment' ? { ...command, now, order: facts } : { ...command, now }),
  decide: decidePayment,
  cardNumbers: {
    inText: PAYMENT_ERRORS.CARD_NUMBER_IN_TEXT,
    asPaymentMethod: PAYMENT_ERRORS.CARD_NUMBER_REFUSED,
    gatewayReferences: ['transactionId', 'gateway.reference'],
  },
});

/** One inventory aggregate per SKU: the SKU is its id. Every command may meet the SKU new or known (a receipt starts it). */
export const inventoryBinding = (): DeciderBinding<InventoryCommand, InventoryState, InventoryEvent, InventoryDomainCommand, OrderFactsForStock | null> => ({
  definition: Inventory,
  aggregateIdOf: (command) => command.sku,
  expects: 'either',
  facts: async (command, reader) => (command.type === 'ReserveStock' ? orderOf(reader, command.orderId, ({ status, lines }) => ({ status, lines })) : ok(null)),
  toDomain: (command, { now, facts }) => (command.type === 'ReserveStock' ? { ...command, now, order: facts } : { ...command, now }),
  decide: decideInventory,
  cardNumbers: { inText: INVENTORY_ERRORS.CARD_NUMBER_IN_TEXT },
});

export const customerBinding = (): DeciderBinding<CustomerCommand, CustomerState, CustomerEvent, CustomerDomainCommand> => ({
  definition: Customer,
  aggregateIdOf: (command) => command.customerId,
  expects: (command) => (command.type === 'RegisterCustomer' ? 'new' : 'existing'),
  // The interaction id is minted here, once per command: it is not part of what a repeat must match.
  toDomain: (command, { now, ids }) => (command.type === 'RecordSupportInteraction' ? { ...command, now, interactionId: ids.next() } : { ...command, now }),
  decide: decideCustomer,
  cardNumbers: { inText: CUSTOMER_ERRORS.CARD_NUMBER_IN_TEXT },
});

export type OrderCommandHandler = CommandHandler<OrderCommand, OrderState, OrderEvent>;
export type PaymentCommandHandler = CommandHandler<PaymentCommand, PaymentState, PaymentEvent>;
export type InventoryCommandHandler = CommandHandler<InventoryCommand, InventoryState, InventoryEvent>;
export type CustomerCommandHandler = CommandHandler<CustomerCommand, CustomerState, CustomerEvent>;
