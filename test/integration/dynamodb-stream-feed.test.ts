import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { documentClient, dynamoDbClient } from '../../src/adapters/dynamodb/dynamodb-settings.js';
import { inVersionOrder, nextShard } from '../../src/adapters/dynamodb/dynamodb-stream-feed.js';
import { eventItem } from '../../src/adapters/dynamodb/event-item.js';
import { InMemoryMetrics } from '../../src/adapters/memory/in-memory-metrics.js';
import { InMemoryPublisher } from '../../src/adapters/memory/in-memory-publisher.js';
import type { EventEnvelope } from '../../src/application/events/envelope.js';
import { EventRelay } from '../../src/application/relay/event-relay.js';
import { planPublishing } from '../../src/application/relay/stream-order.js';
import { localSettings } from '../support/dynamodb-adapters.js';
import { useDynamoDbLocal } from '../support/dynamodb-suite.js';
import { aStreamId, anEvent, events } from '../support/event-mother.js';

const { server, adapters } = useDynamoDbLocal();

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
    // Bypasses the store, which would never write version 3 before 2: a stand-in for records lost past the 24-hour retention.
    const doc = documentClient(dynamoDbClient(localSettings(server())));
    await doc.send(new PutCommand({ TableName: adapters().tables.events, Item: eventItem(streamId, 3, anEvent(), new Date().toISOString()) }));
    const read = (await drain(start, 1000)).events.filter((event) => event.streamId === streamId);
    expect(planPublishing(read, () => undefined).gaps).toEqual([{ streamId, expectedVersion: 2, foundVersion: 3 }]);
  });

  it('feeds the relay: every committed event reaches the bus once the checkpoint is saved', async () => {
    const name = `relay-${aStreamId()}`;
    // From the feed's present end: the earlier tests left a gapped stream behind, at which a relay rightly holds.
    await adapters().checkpoints.save(name, (await drain(null, 1000)).position as string);
    const publisher = new InMemoryPublisher();
    const relay = new EventRelay({ feed: adapters().feed, checkpoints: adapters().checkpoints, publisher, metrics: new InMemoryMetrics() }, { name, batchSize: 50, rememberedStreams: 1000 });
    const streamId = aStreamId();
    await adapters().eventStore.append(streamId, events(5), 'no-stream');
    expect((await relay.catchUp()).isOk()).toBe(true);
    expect(publisher.published.filter((event) => event.streamId === streamId).map((event) => event.version)).toEqual([1, 2, 3, 4, 5]);
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
    const at = (streamId: string, version: number) => ({ ...anEvent(), streamId, version, recordedAt: '2026-01-01T00:00:00.000Z', globalPosition: null });
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
