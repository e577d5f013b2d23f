import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
  type DynamoDBStreamsClient,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { EventEnvelope } from '../../application/events/envelope.js';
import type { CommittedEventFeed, FeedBatch } from '../../application/ports/committed-event-feed.js';
import { plainItem } from './attribute-values.js';
import { envelopeOf } from './event-item.js';
import { withRetries } from './sdk-errors.js';

/** Where a reader is in the table's stream: the stream's ARN and, per shard, the last sequence number read ('done': closed and read to its end). */
interface StreamPosition {
  readonly stream: string;
  readonly shards: Readonly<Record<string, string>>;
}

const DONE = 'done';
/** GetRecords returns at most this many records a call. */
const MAX_RECORDS_PER_CALL = 1_000;

const parsePosition = (position: string | null): StreamPosition | null => {
  if (position === null) return null;
  const parsed = JSON.parse(position) as Partial<StreamPosition>;
  if (typeof parsed.stream !== 'string' || typeof parsed.shards !== 'object' || parsed.shards === null) {
    throw new Error(`not a DynamoDB stream position: ${position.slice(0, 200)}`);
  }
  return parsed as StreamPosition;
};

/** One aggregate's records sorted by version into the places its records held, so streams stay interleaved as read. */
export const inVersionOrder = (events: readonly EventEnvelope[]): EventEnvelope[] => {
  const byStream = new Map<string, EventEnvelope[]>();
  for (const event of events) byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
  for (const list of byStream.values()) list.sort((a, b) => a.version - b.version);
  const taken = new Map<string, number>();
  return events.map(({ streamId }) => {
    const index = taken.get(streamId) ?? 0;
    taken.set(streamId, index + 1);
    return (byStream.get(streamId) as EventEnvelope[])[index] as EventEnvelope;
  });
};

/** Events of one commit share their stream and the instant they were recorded. */
const sameCommit = (a: EventEnvelope, b: EventEnvelope): boolean => a.streamId === b.streamId && a.recordedAt === b.recordedAt;

/**
 * Committed events from the event table's DynamoDB Stream (new images), at least once. Shards are read
 * parents first: a child shard is opened only once its parent is closed and read to its end, so that one
 * aggregate's records, which follow its partition, keep their order through a split. Within a batch each
 * aggregate's events are in version order; a batch cut short by `limit` ends before the last commit it
 * would split (unless that commit alone fills it). Records are kept 24 hours: a position older than that
 * resumes at the oldest record still kept, and the consumer's own gap check (by version) shows what was lost.
 */
export class DynamoDbStreamFeed implements CommittedEventFeed {
  #streamArn: string | null = null;

  constructor(
    private readonly tables: DynamoDBClient,
    private readonly streams: DynamoDBStreamsClient,
    private readonly eventTable: string,
  ) {}

  async read(position: string | null, limit: number): Promise<FeedBatch> {
    const stream = await this.#currentStream();
    const saved = parsePosition(position);
    // A position in an older stream (the stream was switched off and on) cannot be resumed: start this one from its oldest record.
    const shards: Record<string, string> = saved?.stream === stream ? { ...saved.shards } : {};
    const listed = await this.#shards(stream);
    const listedIds = new Set(listed.map((shard) => shard.ShardId));
    // Shards past the 24-hour retention are no longer listed, and no longer need remembering.
    for (const id of Object.keys(shards)) if (!listedIds.has(id)) delete shards[id];
    const events: EventEnvelope[] = [];
    const visited = new Set<string>();
    // Picked afresh after each shard: a parent read to its end here opens its children to this same read.
    for (let shard = nextShard(listed, shards, visited); shard && events.length < limit; shard = nextShard(listed, shards, visited)) {
      const id = shard.ShardId as string;
      visited.add(id);
      const read = await this.#readShard(stream, id, shards[id] ?? null, limit - events.length);
      events.push(...read.events);
      if (read.last !== null) shards[id] = read.last;
      if (read.finished) shards[id] = DONE;
    }
    return { events: inVersionOrder(events), position: JSON.stringify({ stream, shards }) };
  }

  async #currentStream(): Promise<string> {
    if (this.#streamArn !== null) return this.#streamArn;
    const described = await withRetries(() => this.tables.send(new DescribeTableCommand({ TableName: this.eventTable })));
    const arn = described.Table?.LatestStreamArn;
    if (!described.Table?.StreamSpecification?.StreamEnabled || arn === undefined) throw new Error(`table ${this.eventTable} has no stream enabled: provision it first`);
    this.#streamArn = arn;
    return arn;
  }

  async #shards(stream: string): Promise<Shard[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const page = await withRetries(() => this.streams.send(new DescribeStreamCommand({ StreamArn: stream, ...(start ? { ExclusiveStartShardId: start } : {}) })));
      shards.push(...(page.StreamDescription?.Shards ?? []));
      start = page.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return shards;
  }

  /** Up to `wanted` events from one shard after `after`; `last` is the sequence number to resume after, `finished` a closed shard read to its end. */
  async #readShard(stream: string, shardId: string, after: string | null, wanted: number): Promise<{ events: EventEnvelope[]; last: string | null; finished: boolean }> {
    const start = after === null ? { ShardIteratorType: 'TRIM_HORIZON' as const } : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, SequenceNumber: after };
    let iterator = (await withRetries(() => this.streams.send(new GetShardIteratorCommand({ StreamArn: stream, ShardId: shardId, ...start })))).ShardIterator;
    const records: StreamRecord[] = [];
    while (iterator && records.length < wanted) {
      const current = iterator;
      const page = await withRetries(() => this.streams.send(new GetRecordsCommand({ ShardIterator: current, Limit: Math.min(MAX_RECORDS_PER_CALL, wanted - records.length) })));
      records.push(...(page.Records ?? []));
      iterator = page.NextShardIterator;
      if ((page.Records ?? []).length === 0) break;
    }
    const finished = iterator === undefined;
    const kept = records.length >= wanted ? withoutSplitCommit(records) : records;
    const last = kept.at(-1)?.dynamodb?.SequenceNumber ?? after;
    return { events: kept.flatMap(eventOf), last, finished: finished && kept.length === records.length };
  }
}

const eventOf = (record: StreamRecord): EventEnvelope[] => {
  const image = record.dynamodb?.NewImage;
  // Events are only ever inserted; anything else (a test's clean-up, say) is not a committed event.
  return record.eventName === 'INSERT' && image ? [envelopeOf(plainItem(image as Parameters<typeof plainItem>[0]))] : [];
};

/** Drops the trailing records of the last commit, which the next read may complete; keeps them when they are all there is. */
const withoutSplitCommit = (records: StreamRecord[]): StreamRecord[] => {
  const events = records.map((record) => eventOf(record)[0]);
  const last = events.at(-1);
  if (last === undefined) return records;
  let cut = records.length;
  while (cut > 0 && events[cut - 1] !== undefined && sameCommit(events[cut - 1] as EventEnvelope, last)) cut -= 1;
  return cut === 0 ? records : records.slice(0, cut);
};

/** The next shard to read, parents before children: unfinished, not yet read this time, its parent finished or gone. */
export const nextShard = (shards: readonly Shard[], position: Readonly<Record<string, string>>, visited: ReadonlySet<string>): Shard | undefined => {
  const listed = new Set(shards.map((shard) => shard.ShardId));
  const start = (shard: Shard): bigint => BigInt(shard.SequenceNumberRange?.StartingSequenceNumber ?? '0');
  return shards
    .filter((shard) => position[shard.ShardId as string] !== DONE && !visited.has(shard.ShardId as string))
    .filter((shard) => shard.ParentShardId === undefined || !listed.has(shard.ParentShardId) || position[shard.ParentShardId] === DONE)
    .sort((a, b) => (start(a) < start(b) ? -1 : start(a) > start(b) ? 1 : 0))[0];
};
