import type { FastifyInstance } from 'fastify';
import type { OrderCommand } from '../../application/commands/commands.js';
import type { HttpServices } from './http-services.js';
import { countryCode } from './iso-formats.js';
import { queriesAt } from './read-side.js';
import { commandRoute, commandSpec, queryRoute, type BodyOf, type CommandRoute } from './route-helpers.js';
import { asOfQuery, currency, identifier, minorUnits, object, orderSummary, positiveInteger, text } from './schemas.js';

type Body<T extends OrderCommand['type']> = BodyOf<OrderCommand, T, 'orderId'>;
type OrderPath = { orderId: string };

const line = object({ sku: identifier, quantity: positiveInteger(1_000_000), unitPrice: minorUnits }, ['sku', 'quantity', 'unitPrice']);
const shippingAddress = object(
  {
    line1: text(200),
    city: text(100),
    postalCode: text(20),
    country: countryCode,
  },
  ['line1', 'city', 'postalCode', 'country'],
);
const paymentMethodToken = text(200, 'the token your payment provider issued (never a card number)');
const placeOrder = object(
  {
    orderId: identifier,
    customerId: identifier,
    currency,
    taxRate: { type: 'integer', minimum: 0, maximum: 10_000, description: 'basis points: 2300 is 23 %; 0 when absent' },
    lines: { type: 'array', minItems: 1, maxItems: 100, items: line },
    shippingAddress,
    paymentMethodToken,
  },
  ['orderId', 'customerId', 'currency', 'lines', 'shippingAddress'],
);
const orderPath = object({ orderId: identifier }, ['orderId']);
const reason = object({ reason: text(500) }, ['reason']);

export const orderCommands = (services: Pick<HttpServices, 'orders'>): CommandRoute[] => {
  const tag = 'orders';
  return [
    commandSpec<unknown, BodyOf<OrderCommand, 'PlaceOrder'>>({
      command: 'PlaceOrder',
      url: '/orders',
      tag,
      summary: 'Place an order (totals and tax are computed, never taken from the request), with the payment method token when the client has it',
      body: placeOrder,
      creates: true,
      run: (_path, body, context) => services.orders.handle({ type: 'PlaceOrder', ...body }, context),
    }),
    commandSpec<OrderPath, Body<'ProvidePaymentMethod'>>({
      command: 'ProvidePaymentMethod',
      url: '/orders/:orderId/payment-method',
      tag,
      summary: 'Give a placed order the payment method token its payment is to be requested with',
      params: orderPath,
      body: object({ paymentMethodToken }, ['paymentMethodToken']),
      run: ({ orderId }, body, context) => services.orders.handle({ type: 'ProvidePaymentMethod', orderId, ...body }, context),
    }),
    commandSpec<OrderPath, Body<'ConfirmOrder'>>({
      command: 'ConfirmOrder',
      url: '/orders/:orderId/confirm',
      tag,
      summary: 'Confirm a created order with the processed payment that covers its total',
      params: orderPath,
      body: object({ paymentId: identifier }, []),
      run: ({ orderId }, body, context) => services.orders.handle({ type: 'ConfirmOrder', orderId, ...body }, context),
    }),
    commandSpec<OrderPath, Body<'ShipOrder'>>({
      command: 'ShipOrder',
      url: '/orders/:orderId/ship',
      tag,
      summary: 'Ship a confirmed order',
      params: orderPath,
      body: object({ carrier: text(100), trackingNumber: text(100) }, ['carrier', 'trackingNumber']),
      run: ({ orderId }, body, context) => services.orders.handle({ type: 'ShipOrder', orderId, ...body }, context),
    }),
    commandSpec<OrderPath>({
      command: 'DeliverOrder',
      url: '/orders/:orderId/deliver',
      tag,
      summary: 'Record the delivery of a shipped order',
      params: orderPath,
      body: object({}, []),
      run: ({ orderId }, _body, context) => services.orders.handle({ type: 'DeliverOrder', orderId }, context),
    }),
    commandSpec<OrderPath, Body<'CancelOrder'>>({
      command: 'CancelOrder',
      url: '/orders/:orderId/cancel',
      tag,
      summary: 'Cancel an order that has not shipped',
      params: orderPath,
      body: reason,
      run: ({ orderId }, body, context) => services.orders.handle({ type: 'CancelOrder', orderId, ...body }, context),
    }),
    commandSpec<OrderPath, Body<'ReturnOrder'>>({
      command: 'ReturnOrder',
      url: '/orders/:orderId/return',
      tag,
      summary: 'Return a delivered order within the return window',
      params: orderPath,
      body: reason,
      run: ({ orderId }, body, context) => services.orders.handle({ type: 'ReturnOrder', orderId, ...body }, context),
    }),
  ];
};

export const orderRoutes = (app: FastifyInstance, services: HttpServices): void => {
  const tag = 'orders';
  for (const spec of orderCommands(services)) commandRoute(app, spec);
  queryRoute<OrderPath, { asOf?: string }>(app, {
    url: '/orders/:orderId',
    tag,
    summary: "The order summary read model (eventually consistent: projections follow the log)",
    params: orderPath,
    querystring: asOfQuery,
    response: orderSummary,
    run: ({ orderId }, { asOf }) => queriesAt(services, asOf).orderDetails(orderId),
  });
};
