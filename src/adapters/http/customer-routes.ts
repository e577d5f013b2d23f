import type { FastifyInstance } from 'fastify';
import { ok } from 'neverthrow';
import type { CustomerCommand } from '../../application/commands/commands.js';
import { SUPPORT_CHANNELS } from '../../domain/index.js';
import type { HttpServices } from './http-services.js';
import { queriesAt } from './read-side.js';
import { commandRoute, commandSpec, queryRoute, type BodyOf, type CommandRoute } from './route-helpers.js';
import { asOfQuery, identifier, object, orderSummary, supportHistoryEntry, text } from './schemas.js';

type Body<T extends CustomerCommand['type']> = BodyOf<CustomerCommand, T, 'customerId'>;
type CustomerPath = { customerId: string };

const personalFields = {
  name: text(200),
  email: { type: 'string', format: 'email', maxLength: 254 },
  address: text(500),
} as const;
const customerPath = object({ customerId: identifier }, ['customerId']);

/** Personal data (GDPR) travels under `personal` only, as it is stored. */
export const customerCommands = (services: Pick<HttpServices, 'customers'>): CommandRoute[] => {
  const tag = 'customers';
  return [
    commandSpec<unknown, BodyOf<CustomerCommand, 'RegisterCustomer'>>({
      command: 'RegisterCustomer',
      url: '/customers',
      tag,
      summary: 'Register a customer',
      body: object({ customerId: identifier, personal: object(personalFields, ['name', 'email', 'address']) }, ['customerId', 'personal']),
      creates: true,
      run: (_path, body, context) => services.customers.handle({ type: 'RegisterCustomer', ...body }, context),
    }),
    commandSpec<CustomerPath, Body<'ChangeCustomerDetails'>>({
      command: 'ChangeCustomerDetails',
      method: 'PATCH',
      url: '/customers/:customerId',
      tag,
      summary: "Change some of a customer's personal details",
      params: customerPath,
      body: object({ personal: { ...object(personalFields, []), minProperties: 1 } }, ['personal']),
      run: ({ customerId }, body, context) => services.customers.handle({ type: 'ChangeCustomerDetails', customerId, ...body }, context),
    }),
    commandSpec<CustomerPath, Body<'RecordSupportInteraction'>>({
      command: 'RecordSupportInteraction',
      url: '/customers/:customerId/support-interactions',
      tag,
      summary: 'Record a contact with customer support',
      params: customerPath,
      body: object(
        { channel: { type: 'string', enum: [...SUPPORT_CHANNELS] }, summary: text(1000), agent: text(100), orderId: identifier },
        ['channel', 'summary', 'agent'],
      ),
      run: ({ customerId }, body, context) => services.customers.handle({ type: 'RecordSupportInteraction', customerId, ...body }, context),
    }),
  ];
};

/** Personal data (GDPR) travels under `personal` only, as it is stored. */
export const customerRoutes = (app: FastifyInstance, services: HttpServices): void => {
  const tag = 'customers';
  for (const spec of customerCommands(services)) commandRoute(app, spec);
  queryRoute<CustomerPath, { asOf?: string }>(app, {
    url: '/customers/:customerId/orders',
    tag,
    summary: "A customer's orders, oldest first (the customer orders read model)",
    params: customerPath,
    querystring: asOfQuery,
    response: { type: 'array', items: orderSummary },
    run: async ({ customerId }, { asOf }) => ok(await queriesAt(services, asOf).customerOrders(customerId)),
  });
  queryRoute<CustomerPath, { asOf?: string }>(app, {
    url: '/customers/:customerId/support-history',
    tag,
    summary: "A customer's orders, payments and contacts in time order, for support agents",
    params: customerPath,
    querystring: asOfQuery,
    response: { type: 'array', items: supportHistoryEntry },
    run: async ({ customerId }, { asOf }) => ok(await queriesAt(services, asOf).supportHistory(customerId)),
  });
};
