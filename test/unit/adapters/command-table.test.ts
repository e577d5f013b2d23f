import { ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { commandTable, type CommandServices } from '../../../src/adapters/http/command-table.js';
import { commandInputChecks, schemaCompiler } from '../../../src/adapters/http/command-validation.js';
import type { Command, HandlesCommands } from '../../../src/application/commands/command-handler.js';
import type { CommandContext } from '../../../src/application/commands/command-executor.js';

/** Use cases that record what they were sent. */
const recording = (): { services: CommandServices; sent: Command[] } => {
  const sent: Command[] = [];
  const handler: HandlesCommands<Command> = {
    handle: async (command: Command) => {
      sent.push(command);
      return ok({ aggregateId: 'a', streamId: 's', version: 1, eventTypes: [] });
    },
  };
  return { services: { orders: handler, payments: handler, inventory: handler, customers: handler } as CommandServices, sent };
};

const context: CommandContext = { metadata: { correlationId: 'c', causationId: null, actor: 'test' } };

describe('the command table every transport sends commands by', () => {
  it('runs each command by the name it is entered under, with its path ids and body together', async () => {
    const { services, sent } = recording();
    const table = commandTable(services);
    expect(table.size).toBe(18);
    for (const [name, route] of table) {
      const params = Object.fromEntries(Object.keys(route.params?.properties ?? {}).map((field) => [field, `id-of-${field}`]));
      await route.run(params, {}, context);
      expect(sent.at(-1)).toMatchObject({ type: name, ...params });
    }
  });

  it("checks a command's whole input with its route's schemas and splits it as the route takes it", async () => {
    const table = commandTable(recording().services);
    const check = commandInputChecks(table, await schemaCompiler());
    const shipped = check('ShipOrder', { orderId: 'o-1', carrier: 'DHL', trackingNumber: 'T1' });
    expect(shipped._unsafeUnwrap()).toMatchObject({ params: { orderId: 'o-1' }, body: { carrier: 'DHL', trackingNumber: 'T1' } });
    expect(check('ShipOrder', { carrier: 'DHL', trackingNumber: 'T1', extra: true })._unsafeUnwrapErr()).toEqual([
      { field: 'input.orderId', problem: 'is required' },
      { field: 'input.extra', problem: 'is not accepted here; accepted: orderId, carrier, trackingNumber' },
    ]);
    expect(check('PlaceOrder', { orderId: 'o 1', customerId: 'c', currency: 'EURO', lines: [], shippingAddress: {} })._unsafeUnwrapErr().map((p) => p.field)).toEqual(
      expect.arrayContaining(['input.orderId', 'input.currency', 'input.lines', 'input.shippingAddress.line1']),
    );
  });
});
