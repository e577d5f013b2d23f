import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
  type DynamoDBStreamsClient,
  type Shard,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { EventEnvelope } from '../../application/events/envelope.js';
import { FeedPositionExpiredError, type CommittedEventFeed, type FeedBatch } from '../../application/ports/committed-event-feed.js';
import { withRetries } from './sdk-errors.js';
import { eventOf, inVersionOrder } from './stream-records.js';

/** Where a reader is in the table's stream: the stream's ARN and, per shard, the last sequence number read ('done': closed and read to its end). */
interface StreamPosition {
  readonly stream: string;
  readonly shards: Readonly<Record<string, string>>;
}

const DONE = 'done';
/** A listed shard nothing has been read from yet. */
const UNREAD = 'unread';
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

/** Events of one commit share their stream and the instant they were recorded. */
const sameCommit = (a: EventEnvelope, b: EventEnvelope): boolean => a.streamId === b.streamId && a.recordedAt === b.recordedAt;

/**
 * Committed events from the event table's DynamoDB Stream (new images), at least once. Shards are read
 * parents first: a child shard is opened only once its parent is closed and read to its end, so that one
 * aggregate's records, which follow its partition, keep their order through a split. Within a batch each
 * aggregate's events are in version order; a batch cut short by `limit` ends before the last commit it
 * would split (unless that commit alone fills it). Records are kept 24 hours: a position that needs records
 * trimmed since, or that belongs to an earlier stream of the table (switched off and on), is refused with
 * FeedPositionExpiredError rather than resumed past the loss.
 */
export class DynamoDbStreamFeed implements CommittedEventFeed {
  #streamArn: string | null = null;

  constructor(
    private readonly tables: DynamoDBClient,
    private readonly streams: DynamoDBStreamsClient,
    private readonly eventTable: string,
  ) {}

  async read(position: string | null, limit: number): Promise<FeedBatch> {
    const saved = parsePosition(position);
    let stream = await this.#currentStream();
    // Another process may have switched the stream off and on since this one looked: asked again before refusing.
    if (saved !== null && saved.stream !== stream) stream = await this.#currentStream(true);
    if (saved !== null && saved.stream !== stream) {
      throw new FeedPositionExpiredError(`the position is in stream ${saved.stream}, no longer the table's (now ${stream}): events written while it was off are in neither`);
    }
    const shards: Record<string, string> = { ...saved?.shards };
    const listed = await this.#shards(stream);
    const listedIds = new Set(listed.map((shard) => shard.ShardId));
    const trimmed = Object.keys(shards).filter((id) => !listedIds.has(id) && shards[id] !== DONE);
    if (trimmed.length > 0) throw new FeedPositionExpiredError(`shards ${trimmed.join(', ')} were trimmed past the stream's retention before they were read to their end`);
    // A shard read to its end that is past the retention needs no remembering: its children are open to read.
    for (const id of Object.keys(shards)) if (!listedIds.has(id)) delete shards[id];
    // Every shard is remembered from the moment it is listed, read or not: if it is trimmed before it is read
    // to its end, the check above sees it, rather than its records going missing without a word.
    for (const id of listedIds) if (id !== undefined && shards[id] === undefined) shards[id] = UNREAD;
    const events: EventEnvelope[] = [];
    const visited = new Set<string>();
    // Each open shard gets its share of the batch: a busy shard read first must not starve the others' streams.
    const share = Math.max(1, Math.ceil(limit / Math.max(1, readableShards(listed, shards).length)));
    // Picked afresh after each shard: a parent read to its end here opens its children to this same read.
    for (let shard = nextShard(listed, shards, visited); shard && events.length < limit; shard = nextShard(listed, shards, visited)) {
      const id = shard.ShardId as string;
      visited.add(id);
      const read = await this.#readShard(stream, id, shards[id] ?? null, Math.min(share, limit - events.length));
      events.push(...read.events);
      if (read.last !== null) shards[id] = read.last;
      if (read.finished) shards[id] = DONE;
    }
    return { events: inVersionOrder(events), position: JSON.stringify({ stream, shards }) };
  }

  /** DynamoDB Streams cannot tell cheaply how many records lie ahead of a position. */
  async behind(_position: string | null): Promise<number | null> {
    return null;
  }

  async #currentStream(refresh = false): Promise<string> {
    if (this.#streamArn !== null && !refresh) return this.#streamArn;
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
    const start = after === null || after === UNREAD ? { ShardIteratorType: 'TRIM_HORIZON' as const } : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, SequenceNumber: after };
    const expired = (): FeedPositionExpiredError => new FeedPositionExpiredError(`shard ${shardId} was trimmed past the stream's retention after sequence number ${after === null || after === UNREAD ? '(its start)' : after}`);
    const opened = await unlessTrimmed(() => this.streams.send(new GetShardIteratorCommand({ StreamArn: stream, ShardId: shardId, ...start })));
    if (opened === TRIMMED) throw expired();
    let iterator = opened.ShardIterator;
    const records: StreamRecord[] = [];
    while (iterator && records.length < wanted) {
      const current = iterator;
      const page = await unlessTrimmed(() => this.streams.send(new GetRecordsCommand({ ShardIterator: current, Limit: Math.min(MAX_RECORDS_PER_CALL, wanted - records.length) })));
      if (page === TRIMMED) throw expired();
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

const TRIMMED = Symbol('trimmed');

/** A Streams call, retried like any other; records trimmed away are an answer to judge, not a failure to retry. */
const unlessTrimmed = <T>(call: () => Promise<T>): Promise<T | typeof TRIMMED> =>
  withRetries(async () => {
    try {
      return await call();
    } catch (error) {
      if (error instanceof TrimmedDataAccessException) return TRIMMED;
      throw error;
    }
  });

/** Drops the trailing records of the last commit, which the next read may complete; keeps them when they are all there is. */
const withoutSplitCommit = (records: StreamRecord[]): StreamRecord[] => {
  const events = records.map((record) => eventOf(record)[0]);
  const last = events.at(-1);
  if (last === undefined) return records;
  let cut = records.length;
  while (cut > 0 && events[cut - 1] !== undefined && sameCommit(events[cut - 1] as EventEnvelope, last)) cut -= 1;
  return cut === 0 ? records : records.slice(0, cut);
};

/** Shards that may be read now: unfinished, their parent finished or gone (parents before children keeps each stream's order through a split). */
const readableShards = (shards: readonly Shard[], position: Readonly<Record<string, string>>): Shard[] => {
  const listed = new Set(shards.map((shard) => shard.ShardId));
  return shards
    .filter((shard) => position[shard.ShardId as string] !== DONE)
    .filter((shard) => shard.ParentShardId === undefined || !listed.has(shard.ParentShardId) || position[shard.ParentShardId] === DONE);
};

/** The next shard to read, oldest first: readable and not yet read this time. */
export const nextShard = (shards: readonly Shard[], position: Readonly<Record<string, string>>, visited: ReadonlySet<string>): Shard | undefined => {
  const start = (shard: Shard): bigint => BigInt(shard.SequenceNumberRange?.StartingSequenceNumber ?? '0');
  return readableShards(shards, position)
    .filter((shard) => !visited.has(shard.ShardId as string))
    .sort((a, b) => (start(a) < start(b) ? -1 : start(a) > start(b) ? 1 : 0))[0];
};
