import type { FastifyInstance } from 'fastify';
import { ok } from 'neverthrow';
import type { InventoryCommand } from '../../application/commands/commands.js';
import type { HttpServices } from './http-services.js';
import { queriesAt } from './read-side.js';
import { commandRoute, commandSpec, queryRoute, type BodyOf, type CommandRoute } from './route-helpers.js';
import { asOfQuery, identifier, inventoryLevel, object, positiveInteger } from './schemas.js';

type Body<T extends InventoryCommand['type']> = BodyOf<InventoryCommand, T, 'sku'>;
type SkuPath = { sku: string };

const skuPath = object({ sku: identifier }, ['sku']);
const quantity = positiveInteger(1_000_000);
const forOrder = object({ orderId: identifier }, ['orderId']);

/** One inventory aggregate per SKU. */
export const inventoryCommands = (services: Pick<HttpServices, 'inventory'>): CommandRoute[] => {
  const tag = 'inventory';
  return [
    commandSpec<SkuPath, Body<'ReceiveStock'>>({
      command: 'ReceiveStock',
      url: '/inventory/:sku/receive',
      tag,
      summary: 'Receive stock of a SKU',
      params: skuPath,
      body: object({ quantity }, ['quantity']),
      run: ({ sku }, body, context) => services.inventory.handle({ type: 'ReceiveStock', sku, ...body }, context),
    }),
    commandSpec<SkuPath, Body<'ReserveStock'>>({
      command: 'ReserveStock',
      url: '/inventory/:sku/reserve',
      tag,
      summary: 'Reserve stock for an order',
      params: skuPath,
      body: object({ orderId: identifier, quantity }, ['orderId', 'quantity']),
      run: ({ sku }, body, context) => services.inventory.handle({ type: 'ReserveStock', sku, ...body }, context),
    }),
    commandSpec<SkuPath, Body<'ReleaseReservation'>>({
      command: 'ReleaseReservation',
      url: '/inventory/:sku/release',
      tag,
      summary: "Release an order's reservation",
      params: skuPath,
      body: forOrder,
      run: ({ sku }, body, context) => services.inventory.handle({ type: 'ReleaseReservation', sku, ...body }, context),
    }),
    commandSpec<SkuPath, Body<'AllocateReservation'>>({
      command: 'AllocateReservation',
      url: '/inventory/:sku/allocate',
      tag,
      summary: "Allocate an order's reservation (the stock leaves with the order)",
      params: skuPath,
      body: forOrder,
      run: ({ sku }, body, context) => services.inventory.handle({ type: 'AllocateReservation', sku, ...body }, context),
    }),
  ];
};

/** One inventory aggregate per SKU. */
export const inventoryRoutes = (app: FastifyInstance, services: HttpServices): void => {
  const tag = 'inventory';
  for (const spec of inventoryCommands(services)) commandRoute(app, spec);
  queryRoute<unknown, { asOf?: string }>(app, {
    url: '/inventory',
    tag,
    summary: 'Stock levels of every SKU: on hand, reserved, allocated, available',
    querystring: asOfQuery,
    response: { type: 'array', items: inventoryLevel },
    run: async (_path, { asOf }) => ok(await queriesAt(services, asOf).inventoryLevels()),
  });
  queryRoute<SkuPath, { asOf?: string }>(app, {
    url: '/inventory/:sku',
    tag,
    summary: 'Stock levels of one SKU',
    params: skuPath,
    querystring: asOfQuery,
    response: inventoryLevel,
    run: ({ sku }, { asOf }) => queriesAt(services, asOf).inventoryLevel(sku),
  });
};
