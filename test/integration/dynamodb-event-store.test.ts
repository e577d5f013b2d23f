import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoDbEventStore } from '../../src/adapters/dynamodb/dynamodb-event-store.js';
import { dynamoDbClient } from '../../src/adapters/dynamodb/dynamodb-settings.js';
import { tableNames } from '../../src/adapters/dynamodb/table-definitions.js';
import { SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import { localSettings } from '../support/dynamodb-adapters.js';
import { useDynamoDbLocal } from '../support/dynamodb-suite.js';
import { aStreamId, anEvent, events } from '../support/event-mother.js';
import { dynamoDbTampering, tamperingSuite } from './audit-tampering.suite.js';

const { server, adapters } = useDynamoDbLocal();
let shared: DynamoDBClient | undefined;
/** A client of the test's own, beside the adapters' one. */
const client = () => (shared ??= dynamoDbClient(localSettings(server())));

/** Another process's store over the same tables: it has seen none of this one's appends. */
const anotherProcess = (): DynamoDbEventStore => new DynamoDbEventStore(client(), adapters().tables, new SystemClock());

// Issue 11 (SOX): items edited, deleted and renumbered directly in the table are named by verify (on this file's server).
tamperingSuite('DynamoDB Local', () => dynamoDbTampering(client(), adapters()));

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

describe('DynamoDbEventStore round trips', () => {
  it('sends one write per commit, reading nothing first, whether or not it has seen the stream', async () => {
    const streamId = aStreamId();
    await adapters().eventStore.append(streamId, events(2), 'no-stream');
    const { store, sent } = recorded();
    // The previous hash comes with the append, as the repository passes the one it loaded (issue 11's chain).
    expect((await store.append(streamId, events(1), 2, { previousHash: await headHash(streamId) }))._unsafeUnwrap().nextVersion).toBe(3);
    expect((await store.append(streamId, events(1), 3))._unsafeUnwrap().nextVersion).toBe(4);
    expect((await store.append(streamId, events(3), 4))._unsafeUnwrap().nextVersion).toBe(7);
    expect((await store.append(aStreamId(), events(1), 'no-stream'))._unsafeUnwrap().nextVersion).toBe(1);
    // Unseen: the check that version 2 exists rides in a transaction; then it knows, and writes plainly.
    expect(sent).toEqual(['TransactWriteItems', 'PutItem', 'TransactWriteItems', 'PutItem']);
  });

  it('reads the previous event for its hash when an append at an unseen version does not pass it, which also checks it exists', async () => {
    const streamId = aStreamId();
    await adapters().eventStore.append(streamId, events(2), 'no-stream');
    const { store, sent } = recorded();
    expect((await store.append(streamId, events(1), 2))._unsafeUnwrap().nextVersion).toBe(3);
    expect(sent).toEqual(['GetItem', 'PutItem']);
  });

  it('reads the head only once a write failed, to report the conflict', async () => {
    const streamId = aStreamId();
    await adapters().eventStore.append(streamId, events(2), 'no-stream');
    const { store, sent } = recorded();
    expect((await store.append(streamId, events(1), 4, { previousHash: 'a'.repeat(64) }))._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.CONCURRENCY_CONFLICT', expected: 4, actual: 2 });
    expect((await store.append(streamId, events(1), 0))._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.CONCURRENCY_CONFLICT', expected: 0, actual: 2 });
    expect(sent).toEqual(['TransactWriteItems', 'Query', 'PutItem', 'Query']);
  });

  it('reads the item before a 100-event commit at an unseen version, the transaction having no room for the check', async () => {
    const streamId = aStreamId();
    await adapters().eventStore.append(streamId, events(2), 'no-stream');
    const { store, sent } = recorded();
    expect((await store.append(streamId, events(100), 3))._unsafeUnwrapErr()).toMatchObject({ code: 'EVENT_STORE.CONCURRENCY_CONFLICT', expected: 3, actual: 2 });
    expect((await store.append(streamId, events(100), 2))._unsafeUnwrap().nextVersion).toBe(102);
    expect(sent).toEqual(['GetItem', 'Query', 'TransactWriteItems']);
  });

  it('recognises its own commit when a write goes again after its response was lost', async () => {
    const seen = aStreamId();
    await adapters().eventStore.append(seen, events(1), 'no-stream');
    for (const [streamId, count, expected] of [
      [aStreamId(), 1, 'no-stream'],
      [aStreamId(), 3, 'no-stream'],
      [seen, 1, 1],
      [seen, 2, 2],
    ] as const) {
      const { store, sent } = recorded({ loseFirstResponse: true });
      const appended = await store.append(streamId, events(count), expected, expected === 'no-stream' ? {} : { previousHash: await headHash(streamId) });
      expect(appended._unsafeUnwrap().nextVersion).toBe((expected === 'no-stream' ? 0 : expected) + count);
      expect(sent).toHaveLength(2);
      expect(new Set(sent).size).toBe(1);
    }
    expect((await adapters().eventStore.readStream(seen)).map((event) => event.version)).toEqual([1, 2, 3, 4]);
  });
});

/** The hash of the stream's last event, as a repository that loaded it holds it. */
const headHash = async (streamId: string): Promise<string> => (await adapters().eventStore.readStream(streamId)).at(-1)?.hash ?? '';

/** A store in a process of its own that records the operations it sends; optionally the first response is lost on the way back. */
const recorded = (options: { readonly loseFirstResponse?: boolean } = {}): { store: DynamoDbEventStore; sent: string[] } => {
  const settings = localSettings(server());
  const low = new DynamoDBClient({ region: settings.region, endpoint: settings.endpoint ?? undefined, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  const sent: string[] = [];
  let lose = options.loseFirstResponse === true;
  low.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(String(context.commandName).replace(/Command$/, ''));
      const result = await next(args);
      if (lose) {
        lose = false;
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      }
      return result;
    },
    { step: 'deserialize', name: 'recordOperations' },
  );
  clients.push(low);
  return { store: new DynamoDbEventStore(low, adapters().tables, new SystemClock()), sent };
};
const clients: DynamoDBClient[] = [];
afterAll(() => {
  for (const low of [...clients, ...(shared ? [shared] : [])]) low.destroy();
});
