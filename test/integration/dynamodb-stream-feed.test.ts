import { randomUUID } from 'node:crypto';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type _Record as StreamRecord,
  type DynamoDBStreamsClient,
} from '@aws-sdk/client-dynamodb-streams';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { documentClient, dynamoDbClient, dynamoDbStreamsClient } from '../../src/adapters/dynamodb/dynamodb-settings.js';
import { DynamoDbStreamFeed, nextShard } from '../../src/adapters/dynamodb/dynamodb-stream-feed.js';
import { eventItem } from '../../src/adapters/dynamodb/event-item.js';
import { eventsOfStreamRecords, inVersionOrder, type EventTableRecord } from '../../src/adapters/dynamodb/stream-records.js';
import type { EventEnvelope } from '../../src/application/events/envelope.js';
import { FeedPositionExpiredError } from '../../src/application/ports/committed-event-feed.js';
import { localSettings } from '../support/dynamodb-adapters.js';
import { useDynamoDbLocal } from '../support/dynamodb-suite.js';
import { streamRecords } from '../support/dynamodb-stream-records.js';
import { aStreamId, anEvent, events } from '../support/event-mother.js';

const { server, adapters } = useDynamoDbLocal();
const opened: { destroy(): void }[] = [];
/** Clients of the test's own, beside the adapters' ones. */
const ownClient = <T extends { destroy(): void }>(client: T): T => {
  opened.push(client);
  return client;
};
afterAll(() => opened.forEach((client) => client.destroy()));

/** Everything the feed holds after `position`, read in batches of `limit`, with the position after it. */
const drain = async (position: string | null, limit: number): Promise<{ events: EventEnvelope[]; position: string | null; batches: EventEnvelope[][] }> => {
  const batches: EventEnvelope[][] = [];
  for (let at = position; ; ) {
    const batch = await adapters().feed.read(at, limit);
    if (batch.events.length === 0) return { events: batches.flat(), position: batch.position, batches };
    batches.push([...batch.events]);
    at = batch.position;
  }
};

const ours = (read: readonly EventEnvelope[], ...streams: string[]) => read.filter((event) => streams.includes(event.streamId)).map((event) => [event.streamId, event.version]);

describe('DynamoDbStreamFeed', () => {
  it('delivers committed events with each stream in version order, and resumes after a saved position', async () => {
    const start = (await drain(null, 1000)).position;
    const [a, b] = [aStreamId(), aStreamId()];
    await adapters().eventStore.append(a, events(3), 'no-stream');
    await adapters().eventStore.append(b, events(1), 'no-stream');
    await adapters().eventStore.append(a, events(1), 3);
    const first = await drain(start, 1000);
    expect(ours(first.events, a, b)).toEqual([
      [a, 1],
      [a, 2],
      [a, 3],
      [b, 1],
      [a, 4],
    ]);
    expect(first.events[0]).toMatchObject({ globalPosition: null });
    await adapters().eventStore.append(b, events(1), 1);
    expect(ours((await drain(first.position, 1000)).events, a, b)).toEqual([[b, 2]]);
  });

  it('does not split a commit across batches when a batch fills up', async () => {
    const start = (await drain(null, 1000)).position;
    const streams = [aStreamId(), aStreamId(), aStreamId()];
    for (const streamId of streams) await adapters().eventStore.append(streamId, events(4), 'no-stream');
    const { batches } = await drain(start, 6);
    for (const batch of batches) {
      for (const streamId of new Set(batch.map((event) => event.streamId))) expect(batch.filter((event) => event.streamId === streamId)).toHaveLength(4);
    }
    expect(batches.flat()).toHaveLength(12);
  });

  it('lets the consumer notice a gap in a stream', async () => {
    const start = (await drain(null, 1000)).position;
    const streamId = aStreamId();
    await adapters().eventStore.append(streamId, events(1), 'no-stream');
    // Bypasses the store, which would never write version 3 before 2: a stand-in for a version missing from the store.
    const doc = documentClient(ownClient(dynamoDbClient(localSettings(server()))));
    await doc.send(new PutCommand({ TableName: adapters().tables.events, Item: eventItem(streamId, 3, randomUUID(), anEvent(), new Date().toISOString()) }));
    const read = (await drain(start, 1000)).events.filter((event) => event.streamId === streamId);
    expect(read.map((event) => event.version)).toEqual([1, 3]);
  });

  it('cannot tell how far behind a position is', async () => {
    expect(await adapters().feed.behind(null)).toBeNull();
  });
});

describe('DynamoDbStreamFeed positions past the retention', () => {
  /** A position that has read this test's own event, so that it names the open shard with a sequence number. */
  const aPositionWithinAShard = async (): Promise<{ stream: string; shards: Record<string, string> }> => {
    const start = (await drain(null, 1000)).position;
    await adapters().eventStore.append(aStreamId(), events(1), 'no-stream');
    return JSON.parse((await drain(start, 1000)).position as string) as { stream: string; shards: Record<string, string> };
  };
  const TRIMMED_SHARD = 'shardId-00000001000000000000-0000dead';

  it('refuses a position naming a shard trimmed away before it was read to its end', async () => {
    const position = await aPositionWithinAShard();
    const trimmed = JSON.stringify({ ...position, shards: { ...position.shards, [TRIMMED_SHARD]: '000000000000000000001' } });
    const refused = adapters().feed.read(trimmed, 100);
    await expect(refused).rejects.toBeInstanceOf(FeedPositionExpiredError);
    await expect(refused).rejects.toThrow(TRIMMED_SHARD);
  });

  it('remembers every listed shard before reading it, and refuses a position naming one trimmed before anything was read from it', async () => {
    const position = await aPositionWithinAShard();
    expect(Object.values(position.shards).every((value) => value !== undefined)).toBe(true);
    const listed = await adapters().feed.read(JSON.stringify(position), 1);
    expect(Object.keys((JSON.parse(listed.position) as { shards: object }).shards).length).toBeGreaterThan(0);
    const unread = JSON.stringify({ ...position, shards: { ...position.shards, [TRIMMED_SHARD]: 'unread' } });
    await expect(adapters().feed.read(unread, 100)).rejects.toBeInstanceOf(FeedPositionExpiredError);
  });

  it('refuses a position in another stream of the table (switched off and on)', async () => {
    const position = await aPositionWithinAShard();
    const elsewhere = JSON.stringify({ ...position, stream: `${position.stream.replace(/\/stream\/.*$/, '')}/stream/2020-01-01T00:00:00.000` });
    await expect(adapters().feed.read(elsewhere, 100)).rejects.toMatchObject({ name: 'FeedPositionExpiredError', code: 'FEED.POSITION_EXPIRED' });
  });

  it('forgets a shard that was read to its end before it was trimmed, and goes on', async () => {
    const position = await aPositionWithinAShard();
    const streamId = aStreamId();
    await adapters().eventStore.append(streamId, events(2), 'no-stream');
    const read = await adapters().feed.read(JSON.stringify({ ...position, shards: { ...position.shards, [TRIMMED_SHARD]: 'done' } }), 100);
    expect(ours(read.events, streamId)).toEqual([
      [streamId, 1],
      [streamId, 2],
    ]);
    expect(Object.keys((JSON.parse(read.position) as { shards: object }).shards)).not.toContain(TRIMMED_SHARD);
  });

  it('refuses a position whose sequence number the stream answers as trimmed', async () => {
    const position = await aPositionWithinAShard();
    const streams = ownClient(dynamoDbStreamsClient(localSettings(server())));
    // DynamoDB Local never trims (it keeps records as long as it runs): the answer AWS gives past the retention, played in.
    const trimming = {
      send: async (command: { input: object }) => {
        if (command instanceof GetShardIteratorCommand && command.input.ShardIteratorType === 'AFTER_SEQUENCE_NUMBER') {
          throw new TrimmedDataAccessException({ message: 'records past the trim horizon', $metadata: { httpStatusCode: 400 } });
        }
        return streams.send(command as GetRecordsCommand);
      },
    } as unknown as DynamoDBStreamsClient;
    const feed = new DynamoDbStreamFeed(ownClient(dynamoDbClient(localSettings(server()))), trimming, adapters().tables.events);
    const refused = feed.read(JSON.stringify(position), 100);
    await expect(refused).rejects.toBeInstanceOf(FeedPositionExpiredError);
    await expect(refused).rejects.toThrow(/after sequence number \d+/);
  });
});

describe('Lambda stream records', () => {
  const rawRecords = () => streamRecords(localSettings(server()), adapters().tables.events);

  /** What a Lambda event source mapping hands a handler: the same record, as JSON, its time in epoch seconds. */
  const asLambdaRecord = (record: StreamRecord, arn: string): EventTableRecord =>
    JSON.parse(
      JSON.stringify({
        eventID: record.eventID,
        eventName: record.eventName,
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'us-east-1',
        eventSourceARN: arn,
        dynamodb: { ...record.dynamodb, ApproximateCreationDateTime: Math.floor((record.dynamodb?.ApproximateCreationDateTime?.getTime() ?? 0) / 1000) },
      }),
    ) as EventTableRecord;

  it('turns the records a Lambda receives into the envelopes the feed gives, skipping all but inserts', async () => {
    const [a, b] = [aStreamId(), aStreamId()];
    await adapters().eventStore.append(a, events(3), 'no-stream');
    await adapters().eventStore.append(b, events(1), 'no-stream');
    await adapters().eventStore.append(a, events(2), 3);
    const fromFeed = (await drain(null, 100_000)).events.filter((event) => event.streamId === a || event.streamId === b);
    const { arn, records } = await rawRecords();
    const lambdaRecords = records.map((record) => asLambdaRecord(record, arn));
    const modified: EventTableRecord = { ...lambdaRecords[0], eventName: 'MODIFY' };
    const converted = eventsOfStreamRecords([modified, ...lambdaRecords]).filter(({ event }) => event.streamId === a || event.streamId === b);
    expect(converted.map(({ event }) => event)).toEqual(fromFeed);
    expect(fromFeed).toHaveLength(6);
    const ourSequenceNumbers = records.filter((record) => [a, b].includes(record.dynamodb?.Keys?.AggregateId?.S ?? '')).map((record) => record.dynamodb?.SequenceNumber);
    expect(converted.map(({ sequenceNumber }) => sequenceNumber)).toEqual(ourSequenceNumbers);
  });
});

describe('stream feed ordering rules', () => {
  const shard = (id: string, start: string, parent?: string) => ({ ShardId: id, SequenceNumberRange: { StartingSequenceNumber: start }, ...(parent ? { ParentShardId: parent } : {}) });

  it('reads a parent shard to its end before its children, oldest first', () => {
    const shards = [shard('child-b', '300', 'parent'), shard('parent', '100'), shard('child-a', '200', 'parent'), shard('orphan', '250', 'trimmed-away')];
    expect(nextShard(shards, {}, new Set())?.ShardId).toBe('parent');
    expect(nextShard(shards, {}, new Set(['parent']))?.ShardId).toBe('orphan');
    expect(nextShard(shards, { parent: 'done' }, new Set())?.ShardId).toBe('child-a');
    expect(nextShard(shards, { parent: 'done', 'child-a': 'done', orphan: 'done' }, new Set())?.ShardId).toBe('child-b');
  });

  it('sorts each stream by version into the places its records held', () => {
    const at = (streamId: string, version: number) => ({ ...anEvent(), eventId: randomUUID(), streamId, version, recordedAt: '2026-01-01T00:00:00.000Z', globalPosition: null });
    const sorted = inVersionOrder([at('a', 2), at('b', 1), at('a', 1), at('b', 2), at('a', 3)]);
    expect(sorted.map((event) => [event.streamId, event.version])).toEqual([
      ['a', 1],
      ['b', 1],
      ['a', 2],
      ['b', 2],
      ['a', 3],
    ]);
  });
});
