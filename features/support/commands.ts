import type { CommandOfType, CustomerCommand, InventoryCommand, OrderCommand, PaymentCommand } from '../../src/application/commands/commands.js';
import { Order, type OrderLine } from '../../src/domain/index.js';
import { A_PROVIDER_TOKEN, anAddress, DEFAULT_UNIT_PRICE, personalDetailsOf } from './mothers.js';
import type { FeatureWorld, Send } from './world.js';

/**
 * The commands the features send, by the names the features give (ORD-1, PAY-1, Ada), and the set-ups that several
 * features lean on: a Given brings the world to where a scenario starts, along the usual road.
 */

export const sendOrder = (world: FeatureWorld, command: OrderCommand): Send => (context) => world.app.orders.handle(command, context);
export const sendPayment = (world: FeatureWorld, command: PaymentCommand): Send => (context) => world.app.payments.handle(command, context);
export const sendInventory = (world: FeatureWorld, command: InventoryCommand): Send => (context) => world.app.inventory.handle(command, context);
export const sendCustomer = (world: FeatureWorld, command: CustomerCommand): Send => (context) => world.app.customers.handle(command, context);

export interface PlaceOrder {
  readonly customer: string;
  readonly order: string;
  readonly currency: string;
  readonly lines: readonly OrderLine[];
  readonly taxRate?: number;
  readonly paymentMethodToken?: string;
  /** Anything else a client might send along, such as a total of its own. */
  readonly extra?: Record<string, unknown>;
}

export const placeOrder = (world: FeatureWorld, { customer, order, currency, lines, taxRate = 0, paymentMethodToken, extra = {} }: PlaceOrder): Send => {
  const command: CommandOfType<OrderCommand, 'PlaceOrder'> = {
    ...extra,
    type: 'PlaceOrder',
    orderId: world.id(order),
    customerId: world.id(customer),
    currency,
    lines,
    taxRate,
    shippingAddress: anAddress(),
    ...(paymentMethodToken === undefined ? {} : { paymentMethodToken }),
  };
  return sendOrder(world, command);
};

export const registerCustomer = (world: FeatureWorld, customer: string, personal = personalDetailsOf(customer)): Send =>
  sendCustomer(world, { type: 'RegisterCustomer', customerId: world.id(customer), personal });

/** An order is placed for a registered customer: registers the customer unless the scenario did. */
export const givenRegistered = async (world: FeatureWorld, customer: string): Promise<void> => {
  if (!(await world.exists('Customer', customer))) await world.prepare(registerCustomer(world, customer));
};

/** Places the order for a registered customer (Ada unless named), at the default price, unless the scenario placed it. */
export const givenPlaced = async (world: FeatureWorld, order: string, lines: readonly OrderLine[], customer = 'Ada', currency: string = DEFAULT_UNIT_PRICE.currency): Promise<void> => {
  if (await world.exists('Order', order)) return;
  await givenRegistered(world, customer);
  await world.prepare(placeOrder(world, { customer, order, currency, lines }));
};

export interface RequestPayment {
  readonly payment: string;
  readonly order: string;
  readonly amount: number;
  readonly currency: string;
  readonly method?: string;
}

export const requestPayment = (world: FeatureWorld, { payment, order, amount, currency, method = A_PROVIDER_TOKEN }: RequestPayment): Send => {
  world.rememberPayment(order, payment);
  return sendPayment(world, { type: 'RequestPayment', paymentId: world.id(payment), orderId: world.id(order), amount, currency, paymentMethodToken: method });
};

export type GatewayAnswer = { readonly accepted: true } | { readonly accepted: false; readonly reason: string };

export const completePayment = (world: FeatureWorld, payment: string, answer: GatewayAnswer): Send => {
  const gateway = answer.accepted ? { status: 'SUCCESS' as const, reference: `gw-${payment}` } : { status: 'FAILURE' as const, error: answer.reason };
  return sendPayment(world, { type: 'CompletePayment', paymentId: world.id(payment), transactionId: `txn-${world.id(payment)}`, gateway });
};

export const refundPayment = (world: FeatureWorld, payment: string, amount: number): Send =>
  sendPayment(world, { type: 'RefundPayment', paymentId: world.id(payment), amount, reason: 'goods returned' });

/** The order's total paid by a processed payment (PAY-<order>): what confirming it needs. */
export const givenPaidInFull = async (world: FeatureWorld, order: string): Promise<void> => {
  const { totalAmount, currency } = await world.stateOf(Order, order);
  const payment = `PAY-${order}`;
  await world.prepare(requestPayment(world, { payment, order, amount: totalAmount, currency: currency ?? DEFAULT_UNIT_PRICE.currency }));
  await world.prepare(completePayment(world, payment, { accepted: true }));
};
