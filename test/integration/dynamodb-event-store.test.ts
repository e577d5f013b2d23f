import { describe, expect, it } from 'vitest';
import { DynamoDbEventStore } from '../../src/adapters/dynamodb/dynamodb-event-store.js';
import { documentClient, dynamoDbClient } from '../../src/adapters/dynamodb/dynamodb-settings.js';
import { EventIdGuards } from '../../src/adapters/dynamodb/event-id-guards.js';
import { tableNames } from '../../src/adapters/dynamodb/table-definitions.js';
import { SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import { localSettings } from '../support/dynamodb-adapters.js';
import { useDynamoDbLocal } from '../support/dynamodb-suite.js';
import { aStreamId, anEvent, events } from '../support/event-mother.js';

const { server, adapters } = useDynamoDbLocal();
let shared: ReturnType<typeof documentClient> | undefined;
/** A client of the test's own, beside the adapters' one. */
const client = () => (shared ??= documentClient(dynamoDbClient(localSettings(server()))));

/** Another process's store over the same tables: it has seen none of this one's appends. */
const anotherProcess = (): DynamoDbEventStore => new DynamoDbEventStore(client(), adapters().tables, new SystemClock());

describe('DynamoDbEventStore limits', () => {
  it('refuses an event over 400 KB before sending, naming the limit and the size, and stores nothing', async () => {
    const streamId = aStreamId();
    const refused = await adapters().eventStore.append(streamId, [anEvent(), anEvent({ data: { blob: 'x'.repeat(410_000) } })], 'no-stream');
    expect(refused._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.INVALID_APPEND', message: expect.stringMatching(/is 40\d(\.\d)? KB \(4\d{5} bytes\).*at most 400 KB \(409600 bytes\)/) });
    expect(await adapters().eventStore.readStream(streamId)).toEqual([]);
  });

  it('refuses a commit over the 4 MB a transaction holds', async () => {
    const refused = await adapters().eventStore.append(aStreamId(), events(12, { data: { blob: 'x'.repeat(350_000) } }), 'no-stream');
    expect(refused._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.INVALID_APPEND', message: expect.stringContaining('at most 4 MB') });
  });

  it('refuses keys DynamoDB cannot hold: an empty event type, a stream id over 2,048 bytes', async () => {
    const emptyType = await adapters().eventStore.append(aStreamId(), [anEvent({ type: '' })], 'no-stream');
    expect(emptyType._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.INVALID_APPEND', message: expect.stringContaining('the event type is 0 bytes; DynamoDB keys hold 1 to 2048 bytes') });
    const longStream = await adapters().eventStore.append(`Order-${'x'.repeat(2_100)}`, events(1), 'no-stream');
    expect(longStream._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.INVALID_APPEND', message: expect.stringContaining('the stream id is 2106 bytes') });
  });

  it('appends 100 events onto an existing stream in one commit', async () => {
    const streamId = aStreamId();
    await adapters().eventStore.append(streamId, events(1), 'no-stream');
    expect((await anotherProcess().append(streamId, events(100), 1))._unsafeUnwrap().nextVersion).toBe(101);
  });

  it('answers EVENT_STORE.UNAVAILABLE, not an SDK exception, when DynamoDB cannot do the work', async () => {
    const missing = new DynamoDbEventStore(client(), tableNames('missing-'), new SystemClock());
    const failed = await missing.append(aStreamId(), events(1), 'no-stream');
    expect(failed._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.UNAVAILABLE', message: expect.stringContaining('ResourceNotFoundException') });
  });
});

describe('DynamoDbEventStore ahead guard', () => {
  it('refuses an append ahead of the stream from a process that never saw the stream, and accepts the exact version', async () => {
    const streamId = aStreamId();
    await adapters().eventStore.append(streamId, events(3), 'no-stream');
    expect((await anotherProcess().append(streamId, events(1), 5))._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.CONCURRENCY_CONFLICT', expected: 5, actual: 3 });
    expect((await anotherProcess().append(streamId, events(1), 2))._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.CONCURRENCY_CONFLICT', expected: 2, actual: 3 });
    expect((await anotherProcess().append(streamId, events(2), 3))._unsafeUnwrap().nextVersion).toBe(5);
    expect((await adapters().eventStore.readStream(streamId)).map((event) => event.version)).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps a stream contiguous when 10 appenders race with no expectation', async () => {
    const streamId = aStreamId();
    const results = await Promise.all(Array.from({ length: 10 }, () => anotherProcess().append(streamId, events(1), 'any')));
    expect(results.every((result) => result.isOk())).toBe(true);
    expect((await adapters().eventStore.readStream(streamId)).map((event) => event.version)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
  });
});

describe('DynamoDbEventStore event-id reservations', () => {
  const guards = () => new EventIdGuards(client(), adapters().tables.eventIds, adapters().tables.events);

  it('lets a commit that was reserved but never written (a crash in between) be sent again', async () => {
    const streamId = aStreamId();
    const batch = events(3);
    expect(await guards().reserve({ streamId, events: batch.map((event, i) => ({ eventId: event.eventId, version: i + 1 })) })).toBeNull();
    expect((await adapters().eventStore.append(streamId, batch, 'no-stream'))._unsafeUnwrap().nextVersion).toBe(3);
  });

  it('refuses an id reserved by a commit elsewhere that may still land', async () => {
    const event = anEvent();
    const elsewhere = aStreamId();
    await guards().reserve({ streamId: elsewhere, events: [{ eventId: event.eventId, version: 1 }] });
    const refused = await adapters().eventStore.append(aStreamId(), [event], 'no-stream');
    expect(refused._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.DUPLICATE_EVENT_ID', eventId: event.eventId, message: expect.stringContaining('has not landed') });
  });

  it('frees the ids of a commit that lost its version to another writer', async () => {
    const streamId = aStreamId();
    await adapters().eventStore.append(streamId, events(1), 'no-stream');
    const loser = events(2);
    // Another process, which has not seen version 1, reserves the ids and then loses the version.
    expect((await anotherProcess().append(streamId, loser, 0))._unsafeUnwrapErr().code).toBe('EVENT_STORE.CONCURRENCY_CONFLICT');
    const elsewhere = aStreamId();
    expect((await adapters().eventStore.append(elsewhere, loser, 'no-stream'))._unsafeUnwrap().nextVersion).toBe(2);
    expect((await adapters().eventStore.readStream(elsewhere)).map((event) => event.eventId)).toEqual(loser.map((event) => event.eventId));
    expect((await adapters().eventStore.append(aStreamId(), [loser[0] as (typeof loser)[0]], 'any'))._unsafeUnwrapErr().code).toBe('EVENT_STORE.DUPLICATE_EVENT_ID');
  });
});
