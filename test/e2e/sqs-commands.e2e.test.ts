import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container } from 'inversify';
import { err, type Result } from 'neverthrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamIdOf } from '../../src/application/events/envelope.js';
import { Inventory, Order } from '../../src/domain/index.js';
import type { MessageReport } from '../../src/adapters/sqs/sqs-command-consumer.js';
import type { AppendError, AppendResult, EventStore } from '../../src/application/ports/event-store.js';
import type { AppConfig } from '../../src/main/config.js';
import { createContainer } from '../../src/main/container.js';
import { sqsCommandHandlerFrom, type SqsCommandHandler } from '../../src/main/lambda-sqs-handler.js';
import { TOKENS } from '../../src/main/tokens.js';
import { sqsEvent } from '../support/lambda-events/lambda-events.js';
import { placeOrderBody, registerBody, walkthroughIds } from './support/walkthrough.js';

/** The command's events as stored, oldest first: what a redelivery must not add to. */
const eventTypesOf = async (container: Container, streamId: string): Promise<string[]> => (await container.get(TOKENS.EventStore).readStream(streamId)).map((event) => event.type);

describe('the SQS command consumer on PGlite', () => {
  let handler: SqsCommandHandler;
  let container: Container;
  const reports: MessageReport[] = [];
  const ids = walkthroughIds('sqs');

  beforeAll(async () => {
    const env = { STORE: 'pglite', DATA_DIR: mkdtempSync(join(tmpdir(), 'es-sqs-')), METRICS: 'prometheus', SQS_SERVICE_ACTOR: 'order-intake' };
    const open = async (config: AppConfig) => (container = await createContainer(config));
    handler = sqsCommandHandlerFrom(env, open, (report) => reports.push(report));
    // The cold start (opening PGlite) belongs to the set-up, not to the first test.
    expect(await handler(sqsEvent([]))).toEqual({ batchItemFailures: [] });
  });

  afterAll(async () => {
    await handler?.close();
  });

  it('runs a batch of good commands in order, each as its message or the service actor', async () => {
    const batch = sqsEvent([
      { body: { command: 'RegisterCustomer', input: registerBody(ids) }, attributes: { actor: 'crm-sync' } },
      { body: { command: 'ReceiveStock', input: { sku: ids.sku, quantity: 10 } } },
      { body: { command: 'PlaceOrder', input: placeOrderBody(ids), actor: 'web-checkout', correlationId: 'corr-sqs-1' } },
    ]);
    expect(await handler(batch)).toEqual({ batchItemFailures: [] });
    expect(reports.slice(-3).map((report) => [report.command, report.outcome])).toEqual([
      ['RegisterCustomer', 'done'],
      ['ReceiveStock', 'done'],
      ['PlaceOrder', 'done'],
    ]);
    const [order] = await container.get(TOKENS.EventStore).readStream(streamIdOf(Order.type, ids.orderId));
    expect(order?.metadata).toMatchObject({ actor: 'web-checkout', correlationId: 'corr-sqs-1' });
    const [stock] = await container.get(TOKENS.EventStore).readStream(streamIdOf(Inventory.type, ids.sku));
    expect(stock?.metadata).toMatchObject({ actor: 'order-intake', correlationId: batch.Records[1]?.messageId });
  });

  it('applies a redelivered message once: the same message id answers the first outcome and appends nothing', async () => {
    const message = { messageId: randomUUID(), body: { command: 'ReserveStock', input: { sku: ids.sku, orderId: ids.orderId, quantity: 2 } } };
    expect(await handler(sqsEvent([message]))).toEqual({ batchItemFailures: [] });
    expect(await handler(sqsEvent([{ ...message, receiveCount: 2 }]))).toEqual({ batchItemFailures: [] });
    expect(reports.slice(-2).map((report) => [report.outcome, report.version])).toEqual([
      ['done', 2],
      ['done', 2],
    ]);
    expect(await eventTypesOf(container, streamIdOf(Inventory.type, ids.sku))).toEqual(['StockReceived', 'InventoryReserved']);
  });

  it('refuses invalid messages and domain refusals without retrying them, saying what is wrong', async () => {
    const batch = sqsEvent([
      { body: 'not json' },
      { body: { command: 'ShipEverything', input: {} } },
      { body: { input: {} } },
      { body: { command: 'PlaceOrder', input: { ...placeOrderBody(ids), orderId: 'o-sqs-2', lines: [{ sku: ids.sku, quantity: 0, unitPrice: 1 }], coupon: 'X' } } },
      { body: { command: 'ReceiveStock', input: { sku: ids.sku, quantity: 1 }, actor: 'a' }, attributes: { actor: 'b' } },
      { body: { command: 'PlaceOrder', input: placeOrderBody(ids) } },
    ]);
    expect(await handler(batch)).toEqual({ batchItemFailures: [] });
    const refused = reports.slice(-6);
    expect(refused.every((report) => report.outcome === 'refused')).toBe(true);
    expect(refused.map((report) => report.code)).toEqual(['MESSAGE.MALFORMED', 'MESSAGE.INVALID', 'MESSAGE.INVALID', 'MESSAGE.INVALID', 'MESSAGE.INVALID', 'ORDER.ALREADY_EXISTS']);
    expect(refused[1]?.message).toMatch(/^message\.command must be one of .*ReceiveStock.*PlaceOrder/);
    expect(refused[2]?.message).toMatch(/message\.command is required; accepted commands: .*PlaceOrder/);
    expect(refused[3]?.message).toContain('input.lines[0].quantity must be >= 1');
    expect(refused[3]?.message).toContain('input.coupon is not accepted here');
    expect(refused[4]?.message).toContain('message.actor differs from the message attribute actor');
    expect(await eventTypesOf(container, streamIdOf(Order.type, 'o-sqs-2'))).toEqual([]);
    expect(await eventTypesOf(container, streamIdOf(Inventory.type, ids.sku))).toEqual(['StockReceived', 'InventoryReserved']);
  });
});

/** The memory store with appends that fail as an unreachable store's do, while `down` is set. */
class OutageEventStore implements EventStore {
  down = false;
  constructor(private readonly inner: EventStore) {}
  append: EventStore['append'] = async (...args): Promise<Result<AppendResult, AppendError>> =>
    this.down ? err({ code: 'EVENT_STORE.UNAVAILABLE', message: 'connection refused' }) : this.inner.append(...args);
  readStream: EventStore['readStream'] = (streamId, options) => this.inner.readStream(streamId, options);
  readByType: EventStore['readByType'] = (type, options) => this.inner.readByType(type, options);
  close: EventStore['close'] = () => this.inner.close();
}

describe('the SQS command consumer while the store is unavailable', () => {
  let handler: SqsCommandHandler;
  let store: OutageEventStore;
  const reports: MessageReport[] = [];

  beforeAll(async () => {
    const open = async (config: AppConfig): Promise<Container> => {
      const container = await createContainer(config);
      store = new OutageEventStore(container.get(TOKENS.EventStore));
      container.rebind(TOKENS.EventStore).toConstantValue(store);
      return container;
    };
    handler = sqsCommandHandlerFrom({ STORE: 'memory', METRICS: 'prometheus' }, open, (report) => reports.push(report));
    // A cold start opens the store: an empty batch makes it open before the outage is switched on.
    expect(await handler(sqsEvent([]))).toEqual({ batchItemFailures: [] });
  });

  it('reports the message as a batch item failure, and a redelivery once the store is back applies it', async () => {
    const message = { messageId: randomUUID(), body: { command: 'ReceiveStock', input: { sku: 'SKU-outage', quantity: 5 } } };
    const refusal = { messageId: randomUUID(), body: { command: 'ReceiveStock', input: { sku: 'SKU-outage', quantity: -1 } } };
    store.down = true;
    expect(await handler(sqsEvent([message, refusal]))).toEqual({ batchItemFailures: [{ itemIdentifier: message.messageId }] });
    expect(reports.map((report) => [report.outcome, report.code])).toEqual([
      ['retry', 'EVENT_STORE.UNAVAILABLE'],
      ['refused', 'MESSAGE.INVALID'],
    ]);
    store.down = false;
    expect(await handler(sqsEvent([{ ...message, receiveCount: 2 }]))).toEqual({ batchItemFailures: [] });
    expect(reports.at(-1)).toMatchObject({ outcome: 'done', version: 1 });
  });

  it('from a FIFO queue, holds back every message after the first that failed, unprocessed', async () => {
    store.down = true;
    const [first, second] = [randomUUID(), randomUUID()];
    const batch = sqsEvent(
      [
        { messageId: first, body: { command: 'ReceiveStock', input: { sku: 'SKU-fifo', quantity: 1 } } },
        { messageId: second, body: { command: 'ReceiveStock', input: { sku: 'SKU-fifo', quantity: 2 } } },
      ],
      'arn:aws:sqs:eu-west-1:123456789012:es-core-commands.fifo',
    );
    const before = reports.length;
    expect(await handler(batch)).toEqual({ batchItemFailures: [{ itemIdentifier: first }, { itemIdentifier: second }] });
    expect(reports.length).toBe(before + 1);
    store.down = false;
  });
});
