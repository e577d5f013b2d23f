import { DescribeEventBusCommand, EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeFake } from '../support/eventbridge-fake/eventbridge-fake.js';

// The fake is the oracle the publisher is tested against, so its own limits are pinned here with the bare SDK client.
let fake: EventBridgeFake;
let client: EventBridgeClient;

beforeAll(async () => {
  fake = await EventBridgeFake.start({ buses: ['orders-bus'] });
  client = new EventBridgeClient({ region: 'eu-west-1', endpoint: fake.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
});
afterAll(async () => {
  client?.destroy();
  await fake?.close();
});
beforeEach(() => fake.reset());

const entry = (overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  EventBusName: 'orders-bus',
  Source: 'es-core.orders',
  DetailType: 'OrderCreated',
  Detail: '{"eventId":"e-1"}',
  ...overrides,
});

const put = (entries: PutEventsRequestEntry[]) => client.send(new PutEventsCommand({ Entries: entries }));
const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: { name: string; message: string; $metadata: { httpStatusCode?: number } }) => error);

describe('local EventBridge endpoint (AWS JSON 1.1)', () => {
  it('describes a bus that exists and answers ResourceNotFoundException for one that does not', async () => {
    const bus = await client.send(new DescribeEventBusCommand({ Name: 'orders-bus' }));
    expect(bus).toMatchObject({ Name: 'orders-bus', Arn: 'arn:aws:events:eu-west-1:123456789012:event-bus/orders-bus' });
    const missing = await failure(client.send(new DescribeEventBusCommand({ Name: 'nope' })));
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', message: 'Event bus nope does not exist.' });
  });

  it('refuses a request of more than 10 entries or over 256 KB as a whole', async () => {
    const tooMany = await failure(put(Array.from({ length: 11 }, () => entry())));
    expect(tooMany?.name).toBe('ValidationException');
    expect(tooMany?.message).toContain('Member must have length less than or equal to 10');
    const tooBig = await failure(put([entry({ Detail: JSON.stringify({ blob: 'x'.repeat(200_000) }) }), entry({ Detail: JSON.stringify({ blob: 'y'.repeat(63_000) }) })]));
    expect(tooBig).toMatchObject({ name: 'ValidationException', message: 'Total size of the entries in the request is over the limit.' });
    expect(fake.delivered('orders-bus')).toEqual([]);
  });

  it('fails single entries that miss a field, carry a non-object detail or a detail type over 128 characters, and keeps the rest', async () => {
    const answer = await put([entry({ Detail: undefined }), entry({ Detail: '[1,2]' }), entry({ Detail: 'not json' }), entry({ DetailType: 'T'.repeat(129) }), entry()]);
    expect(answer.FailedEntryCount).toBe(4);
    expect(answer.Entries?.map((result) => result.ErrorCode ?? 'ok')).toEqual(['InvalidArgument', 'MalformedDetail', 'MalformedDetail', 'InvalidArgument', 'ok']);
    expect(answer.Entries?.[0]?.ErrorMessage).toBe('Parameter Detail is not valid. Reason: Detail is a required argument.');
    expect(fake.delivered('orders-bus')).toHaveLength(1);
  });

  it('accepts and silently drops entries for a bus that does not exist, as EventBridge does', async () => {
    const answer = await put([entry({ EventBusName: 'deleted-bus' })]);
    expect(answer.FailedEntryCount).toBe(0);
    expect(answer.Entries?.[0]?.EventId).toEqual(expect.any(String));
    expect(fake.dropped()).toHaveLength(1);
  });

  it('injects whole-call throttling and 500s', async () => {
    fake.failCalls({ status: 400, type: 'ThrottlingException', times: 1 });
    fake.failCalls({ status: 500, type: 'InternalException', times: 1 });
    expect(await failure(put([entry()]))).toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    expect(await failure(put([entry()]))).toMatchObject({ name: 'InternalException', $metadata: { httpStatusCode: 500 } });
    expect((await put([entry()])).FailedEntryCount).toBe(0);
  });
});
