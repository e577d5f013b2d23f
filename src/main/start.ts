import { randomUUID } from 'node:crypto';
import type { CommandOutcome } from '../application/commands/command-error.js';
import type { CommandContext } from '../application/commands/command-executor.js';
import { appFrom, type App } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createContainer } from './container.js';

/** Runs one order through its whole life and shows what the store and the read models hold. */
const main = async (): Promise<void> => {
  const config = loadConfig();
  const app = appFrom(await createContainer(config));
  try {
    console.log(`store: ${config.store}${config.store === 'pglite' ? ` (${config.dataDir})` : ''}`);
    await runOrderLifecycle(app);
  } finally {
    await app.close();
  }
};

const runOrderLifecycle = async (app: App): Promise<void> => {
  const context: CommandContext = { metadata: { correlationId: randomUUID(), causationId: null, actor: 'npm-start' } };
  const customerId = `customer-${randomUUID().slice(0, 8)}`;
  const orderId = `order-${randomUUID().slice(0, 8)}`;
  const paymentId = `payment-${randomUUID().slice(0, 8)}`;
  const sku = `SKU-${randomUUID().slice(0, 6)}`;
  const steps: [string, () => Promise<import('neverthrow').Result<CommandOutcome, { code: string; message: string }>>][] = [
    ['register customer', () => app.customers.handle({ type: 'RegisterCustomer', customerId, personal: { name: 'Ada Lovelace', email: 'ada@example.com', address: '12 St James Square, London' } }, context)],
    ['receive stock', () => app.inventory.handle({ type: 'ReceiveStock', sku, quantity: 10 }, context)],
    [
      'create order',
      () =>
        app.orders.handle(
          {
            type: 'PlaceOrder',
            orderId,
            customerId,
            currency: 'EUR',
            taxRate: 2300,
            lines: [{ sku, quantity: 2, unitPrice: 1999 }],
            shippingAddress: { line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4LB', country: 'GB' },
          },
          context,
        ),
    ],
    ['reserve stock', () => app.inventory.handle({ type: 'ReserveStock', sku, orderId, quantity: 2 }, context)],
    ['request payment', () => app.payments.handle({ type: 'RequestPayment', paymentId, orderId, amount: 4918, currency: 'EUR', paymentMethodToken: 'tok_visa_4242' }, context)],
    ['complete payment', () => app.payments.handle({ type: 'CompletePayment', paymentId, transactionId: `txn-${randomUUID().slice(0, 8)}`, gateway: { status: 'SUCCESS', reference: 'gw-1' } }, context)],
    ['confirm order', () => app.orders.handle({ type: 'ConfirmOrder', orderId, paymentId }, context)],
    ['allocate stock', () => app.inventory.handle({ type: 'AllocateReservation', sku, orderId }, context)],
    ['ship order', () => app.orders.handle({ type: 'ShipOrder', orderId, carrier: 'DHL', trackingNumber: 'JD0146' }, context)],
    ['deliver order', () => app.orders.handle({ type: 'DeliverOrder', orderId }, context)],
  ];
  for (const [name, run] of steps) {
    const result = await run();
    if (result.isErr()) throw new Error(`${name} was refused: ${result.error.code}: ${result.error.message}`);
    console.log(`${name.padEnd(18)} -> ${result.value.streamId} v${result.value.version} (${result.value.eventTypes.join(', ')})`);
  }
  for (const streamId of [`Customer-${customerId}`, `Inventory-${sku}`, `Order-${orderId}`, `Payment-${paymentId}`]) {
    console.log(`\n${streamId}`);
    for (const event of await app.eventStore.readStream(streamId)) {
      console.log(`  v${event.version} ${event.type} (schema v${event.schemaVersion}) ${JSON.stringify(event.data)}`);
    }
  }
  await app.catchUp();
  console.log('\norder summary', JSON.stringify((await app.orderQueries.orderDetails(orderId))._unsafeUnwrap(), null, 2));
  console.log('customer orders', JSON.stringify(await app.orderQueries.customerOrders(customerId), null, 2));
};

main().catch((error: unknown) => {
  // One line for the person at the terminal; the stack only when they ask for it.
  console.error(error instanceof ConfigError ? `configuration: ${error.message}` : `error: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.DEBUG) console.error(error);
  process.exitCode = 1;
});
