import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CliFailure, cliProgram } from '../../src/adapters/cli/cli-program.js';
import type { App } from '../../src/main/app.js';
import { ctx, openFulfilmentApp } from '../support/fulfilment-app.js';
import { confirmPaid, context, memoryApp, placeOrder } from '../support/memory-app.js';

const run = async (app: App, ...args: string[]): Promise<{ lines: string[]; progress: string }> => {
  const lines: string[] = [];
  const progress = new PassThrough() as unknown as NodeJS.WriteStream;
  let drawn = '';
  (progress as unknown as PassThrough).on('data', (chunk: Buffer) => (drawn += chunk.toString()));
  // The program closes the app after each command; keep it open across the test's commands.
  const program = cliProgram(async () => ({ ...app, close: async () => {} }), { out: (line) => lines.push(line), progress });
  program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
  await program.parseAsync(['node', 'cli', ...args]);
  return { lines, progress: drawn };
};

describe('cli', () => {
  it('shows a stream with metadata and an aggregate as of a version', async () => {
    const { app } = await memoryApp();
    await placeOrder(app, { customerId: 'c-1', orderId: 'o-1', sku: 'SKU-1' });
    await confirmPaid(app, 'o-1', context('alice'));
    const stream = await run(app, 'stream', 'order', 'o-1');
    expect(stream.lines).toHaveLength(2);
    expect(stream.lines[1]).toMatch(/^v2 .* OrderConfirmed by alice \(correlation /);
    const asOf = await run(app, 'aggregate', 'order', 'o-1', '--as-of-version', '1');
    expect(JSON.parse(asOf.lines.join('\n'))).toMatchObject({ version: 1, state: { status: 'CREATED' } });
  });

  it('rebuilds a projection with a progress line and reports status and lag', async () => {
    const { app } = await memoryApp();
    await placeOrder(app, { customerId: 'c-2', orderId: 'o-2', sku: 'SKU-2' });
    const rebuilt = await run(app, 'projections', 'rebuild', 'order-summary');
    expect(rebuilt.progress).toMatch(/\[#+\] \d+\/\d+ events {2}\d+\/s {2}[\d.]+s left/);
    expect(rebuilt.lines[0]).toMatch(/^order-summary now serves generation v1-/);
    const status = await run(app, 'projections', 'status', '--json');
    const parsed = JSON.parse(status.lines.join('\n')) as { name: string; lagEvents: number }[];
    expect(parsed.find((s) => s.name === 'order-summary')?.lagEvents).toBe(0);
    expect(parsed.find((s) => s.name === 'inventory-levels')?.lagEvents).toBeGreaterThan(0);
  });

  it('refuses with a one-line reason', async () => {
    const { app } = await memoryApp();
    await expect(run(app, 'aggregate', 'order', 'missing')).rejects.toThrow(new CliFailure('ORDER.NOT_FOUND: Order missing has no events'));
    await expect(run(app, 'projections', 'retry', 'order-summary')).rejects.toThrow('order-summary is not stopped at a failing event');
    await expect(run(app, 'aggregate', 'order', 'x', '--as-of', 'yesterday')).rejects.toMatchObject({ code: 'commander.invalidArgument' });
  });

  it('lists workflows past their deadline until it fires, and shows one order\'s fulfilment', async () => {
    const env = await openFulfilmentApp({ store: 'memory' });
    const { app } = env;
    (await app.customers.handle({ type: 'RegisterCustomer', customerId: 'c-3', personal: { name: 'Ada', email: 'ada@example.com', address: '1 Road' } }, ctx()))._unsafeUnwrap();
    (await app.inventory.handle({ type: 'ReceiveStock', sku: 'SKU-3', quantity: 5 }, ctx()))._unsafeUnwrap();
    const order = { type: 'PlaceOrder', orderId: 'o-3', customerId: 'c-3', currency: 'EUR', lines: [{ sku: 'SKU-3', quantity: 1, unitPrice: 500 }] } as const;
    (await app.orders.handle({ ...order, shippingAddress: { line1: '1 Road', city: 'Porto', postalCode: '4000', country: 'PT' }, paymentMethodToken: 'tok_silent' }, ctx()))._unsafeUnwrap();
    await env.run();
    expect((await run(app, 'workflows', 'stuck')).lines).toEqual(['no workflow is past its deadline']);
    // Time passes and nothing fires the deadline (no poller runs): the workflow is stuck.
    await env.answerGateway(16 * 60_000);
    const stuck = await run(app, 'workflows', 'stuck');
    expect(stuck.lines).toEqual([expect.stringMatching(/^order o-3 {2}AWAITING_PAYMENT +due 2026-03-02T09:15:00.000Z {2}overdue 60 s {2}\(order-fulfilment:o-3:payment\)$/)]);
    await env.run();
    expect((await run(app, 'workflows', 'stuck')).lines).toEqual(['no workflow is past its deadline']);
    const shown = JSON.parse((await run(app, 'workflows', 'show', 'o-3')).lines.join('\n'));
    expect(shown).toMatchObject({ step: 'CANCELLED', outcome: 'TIMED_OUT', pendingDeadline: null });
    await expect(run(app, 'workflows', 'show', 'o-404')).rejects.toThrow(/^FULFILMENT.NOT_FOUND: /);
    await env.close();
  });
});
