import { customerCommands } from './customer-routes.js';
import type { HttpServices } from './http-services.js';
import { inventoryCommands } from './inventory-routes.js';
import { orderCommands } from './order-routes.js';
import { paymentCommands } from './payment-routes.js';
import type { CommandName, CommandRoute, ObjectSchema } from './route-helpers.js';

/** The use cases a command is sent to. */
export type CommandServices = Pick<HttpServices, 'orders' | 'payments' | 'inventory' | 'customers'>;

/**
 * Every command a transport can send by name: the very specs the HTTP routes are registered from, so that a
 * message consumer checks a command's input with the route's schemas and runs it as the route does. Erasure is
 * not here: it is an operator's act, taken over HTTP with the operator's token only.
 */
export const commandTable = (services: CommandServices): ReadonlyMap<CommandName, CommandRoute> => {
  const table = new Map<CommandName, CommandRoute>();
  for (const route of [...customerCommands(services), ...inventoryCommands(services), ...orderCommands(services), ...paymentCommands(services)]) {
    if (table.has(route.command)) throw new Error(`two routes send ${route.command}: ${table.get(route.command)?.url} and ${route.url}`);
    table.set(route.command, route);
  }
  return table;
};

/** A command's whole input as one object: the ids its URL carries and its body's fields, side by side. */
export const inputSchemaOf = (route: CommandRoute): ObjectSchema & { readonly additionalProperties: false } => {
  const path = route.params ?? { properties: {}, required: [] };
  const clash = Object.keys(path.properties).filter((name) => name in route.body.properties);
  if (clash.length > 0) throw new Error(`${route.command}: ${clash.join(', ')} both in the path and in the body of ${route.url}`);
  // The body's own keywords come along (a minProperties, an anyOf), so that a message is held to every rule the route holds a body to.
  return {
    ...route.body,
    type: 'object',
    additionalProperties: false,
    properties: { ...path.properties, ...route.body.properties },
    required: [...path.required, ...route.body.required],
  };
};
