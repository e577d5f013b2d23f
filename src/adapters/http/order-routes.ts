import type { FastifyInstance } from 'fastify';
import type { OrderCommandHandlers } from '../../application/commands/order-command-handlers.js';
import type { HttpServices } from './http-services.js';
import { queriesAt } from './read-side.js';
import { commandRoute, queryRoute, type BodyOf } from './route-helpers.js';
import { asOfQuery, currency, identifier, minorUnits, object, orderSummary, positiveInteger, text } from './schemas.js';

type Orders = OrderCommandHandlers;
type OrderPath = { orderId: string };

const line = object({ sku: identifier, quantity: positiveInteger(1_000_000), unitPrice: minorUnits }, ['sku', 'quantity', 'unitPrice']);
const shippingAddress = object(
  {
    line1: text(200),
    city: text(100),
    postalCode: text(20),
    country: { type: 'string', pattern: '^[A-Z]{2}$', description: 'an ISO 3166 two-letter country code such as GB' },
  },
  ['line1', 'city', 'postalCode', 'country'],
);
const placeOrder = object(
  {
    orderId: identifier,
    customerId: identifier,
    currency,
    taxRate: { type: 'integer', minimum: 0, maximum: 10_000, description: 'basis points: 2300 is 23 %; 0 when absent' },
    lines: { type: 'array', minItems: 1, maxItems: 100, items: line },
    shippingAddress,
  },
  ['orderId', 'customerId', 'currency', 'lines', 'shippingAddress'],
);
const orderPath = object({ orderId: identifier }, ['orderId']);
const reason = object({ reason: text(500) }, ['reason']);

export const orderRoutes = (app: FastifyInstance, services: HttpServices): void => {
  const tag = 'orders';
  commandRoute<unknown, BodyOf<Orders['create']>>(app, {
    url: '/orders',
    tag,
    summary: 'Place an order (totals and tax are computed, never taken from the request)',
    body: placeOrder,
    creates: true,
    run: (_path, body, context) => services.orders.create(body, context),
  });
  commandRoute<OrderPath, BodyOf<Orders['confirm'], 'orderId'>>(app, {
    url: '/orders/:orderId/confirm',
    tag,
    summary: 'Confirm a created order, naming the payment that covers it',
    params: orderPath,
    body: object({ paymentId: identifier }, []),
    run: ({ orderId }, body, context) => services.orders.confirm({ orderId, ...body }, context),
  });
  commandRoute<OrderPath, BodyOf<Orders['ship'], 'orderId'>>(app, {
    url: '/orders/:orderId/ship',
    tag,
    summary: 'Ship a confirmed order',
    params: orderPath,
    body: object({ carrier: text(100), trackingNumber: text(100) }, ['carrier', 'trackingNumber']),
    run: ({ orderId }, body, context) => services.orders.ship({ orderId, ...body }, context),
  });
  commandRoute<OrderPath>(app, {
    url: '/orders/:orderId/deliver',
    tag,
    summary: 'Record the delivery of a shipped order',
    params: orderPath,
    body: object({}, []),
    run: ({ orderId }, _body, context) => services.orders.deliver({ orderId }, context),
  });
  commandRoute<OrderPath, BodyOf<Orders['cancel'], 'orderId'>>(app, {
    url: '/orders/:orderId/cancel',
    tag,
    summary: 'Cancel an order that has not shipped',
    params: orderPath,
    body: reason,
    run: ({ orderId }, body, context) => services.orders.cancel({ orderId, ...body }, context),
  });
  commandRoute<OrderPath, BodyOf<Orders['return'], 'orderId'>>(app, {
    url: '/orders/:orderId/return',
    tag,
    summary: 'Return a delivered order within the return window',
    params: orderPath,
    body: reason,
    run: ({ orderId }, body, context) => services.orders.return({ orderId, ...body }, context),
  });
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
