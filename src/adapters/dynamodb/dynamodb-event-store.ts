import { randomUUID } from 'node:crypto';
import {
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  paginateQuery,
  type AttributeValue,
  type DynamoDBClient,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { err, ok, type Result } from 'neverthrow';
import { claimLost, expectedVersionConflict, validateAppend } from '../../application/events/append-rules.js';
import type { EventEnvelope, NewEvent } from '../../application/events/envelope.js';
import { newEventIds } from '../../application/events/event-ids.js';
import { invalidPreviousHash, staleHashConflict } from '../../application/audit/chain-append.js';
import { chainCommit, GENESIS_HASH } from '../../application/audit/event-chain.js';
import type {
  AppendError,
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedVersion,
  IdempotencyCompletion,
  StreamReadOptions,
  TypeReadOptions,
} from '../../application/ports/event-store.js';
import type { Clock } from '../../application/ports/runtime.js';
import { importThrough, type ImportCommit, type StoredRange } from '../../application/events/event-import-plan.js';
import type { EventImport, ImportError, ImportOutcome } from '../../application/ports/event-import.js';
import { plainItem } from './attribute-values.js';
import { envelopeOf, eventItem, indexTimestamp, wireItem, type EventItem } from './event-item.js';
import { itemBytes, kilobytes, MAX_ITEM_BYTES, MAX_TRANSACTION_BYTES } from './item-size.js';
import { KnownVersions } from './known-versions.js';
import { cancellationReasons, DynamoDbUnavailableError, isConditionFailure, withRetries } from './sdk-errors.js';
import { completionTransactUpdate } from './idempotency-items.js';
import { EVENT_TYPE_INDEX, type TableNames } from './table-definitions.js';

/** How often an append with 'any' goes back for the stream's new end after losing a race for it. */
const ANY_ATTEMPTS = 10;
const NOT_STORED = 'attribute_not_exists(AggregateId)';
const STORED = 'attribute_exists(AggregateId)';
/** What #write reports when every event could land but the idempotency claim is no longer the append's. */
const CLAIM_LOST = 'claim-lost';
/** What one TransactWriteItems holds. */
const MAX_TRANSACTION_ITEMS = 100;

/**
 * The ADR's event store on DynamoDB. A commit is one conditional PutItem (one event) or one TransactWriteItems
 * (several), every item conditional on its version not existing; the store mints the events' ids (UUIDv7, unique
 * by construction), so nothing else is written. An append at version N+1 must not land ahead of the stream, so it
 * goes out as it is only when N is known to exist (events are never deleted), from this process's own appends
 * and reads; otherwise the check rides in the write itself: a ConditionCheck that N exists beside the Puts, in one
 * transaction (a 100-event commit has no room for it and reads item N first). The stream's head is read only
 * after a write failed, to report the conflict, and for 'any'. A write retried after a lost response finds its
 * own events in its slots (same event ids) and counts as stored. It speaks the low-level client, items in
 * DynamoDB's wire shape, without the document client's marshalling in between. DynamoDB has no global order:
 * `globalPosition` is null, and the committed-event feed is the table's stream (DynamoDbStreamFeed).
 */
export class DynamoDbEventStore implements EventStore, EventImport {
  readonly #known = new KnownVersions();

  constructor(
    private readonly client: DynamoDBClient,
    /** The idempotency table takes a key's completion in the same transaction as the events it produced. */
    private readonly tables: Pick<TableNames, 'events' | 'idempotency'>,
    private readonly clock: Clock,
  ) {}

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion, options: AppendOptions = {}): Promise<Result<AppendResult, AppendError>> {
    const invalid = validateAppend(streamId, events, expected, options) ?? badKey(streamId, events) ?? invalidPreviousHash(options);
    if (invalid) return err(invalid);
    try {
      return await this.#append(streamId, events, expected, options);
    } catch (error) {
      if (error instanceof DynamoDbUnavailableError) return err({ code: 'EVENT_STORE.UNAVAILABLE', message: `DynamoDB: ${error.message}` });
      throw error;
    }
  }

  async #append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion, options: AppendOptions): Promise<Result<AppendResult, AppendError>> {
    const recordedAt = this.clock.now();
    // Minted once for every attempt: a write sent again finds its own ids in its slots.
    const eventIds = newEventIds(events.length);
    const stamped = events.map((event, index) => ({ ...event, eventId: eventIds[index] as string }));
    for (let attempt = 1; ; attempt += 1) {
      // The chain's link: given by the caller, the genesis for a new stream, or read with the head ('any') or item `base`.
      let base: number;
      let previousHash: string | undefined;
      if (expected === 'any') {
        ({ version: base, hash: previousHash } = await this.#headLink(streamId));
      } else {
        base = expected === 'no-stream' ? 0 : expected;
        previousHash = options.previousHash ?? (base === 0 ? GENESIS_HASH : (this.#known.hashAt(streamId, base) ?? (await this.#hashAt(streamId, base))));
        if (previousHash === undefined) return err(expectedVersionConflict(streamId, expected, await this.#head(streamId)) ?? raced(streamId, expected, base));
      }
      const links = chainCommit(streamId, base, previousHash, stamped);
      const items = events.map((event, index) => eventItem(streamId, base + index + 1, eventIds[index] as string, event, recordedAt, links[index]));
      const tooLarge = oversize(items);
      if (tooLarge) return err(tooLarge);
      // Version `base` must exist unless it is 0 or known to exist; 'any' has just read it. The check also holds the
      // caller's previous hash against the stored one, for free: without it a stale hash is not caught here.
      const check = base === 0 || expected === 'any' || this.#known.get(streamId) >= base ? null : { version: base, hash: previousHash };
      const written = await this.#write(streamId, items, check, options.idempotency);
      if (written === CLAIM_LOST && options.idempotency) return err(claimLost(options.idempotency.key));
      if (written === true) {
        const nextVersion = base + items.length;
        this.#known.saw(streamId, nextVersion, links.at(-1)?.hash);
        return ok({ streamId, nextVersion, lastPosition: null, hash: links.at(-1)?.hash });
      }
      const actual = await this.#head(streamId);
      if (expected !== 'any' && actual === base) return err(staleHashConflict(streamId, expected, actual));
      if (expected !== 'any') return err(expectedVersionConflict(streamId, expected, actual) ?? raced(streamId, expected, actual));
      if (attempt === ANY_ATTEMPTS) return err(raced(streamId, expected, actual));
    }
  }

  importEvents(events: readonly EventEnvelope[]): Promise<Result<ImportOutcome, ImportError>> {
    return importThrough(
      {
        stored: (ranges) => this.#storedRanges(ranges),
        write: (commits) => this.#importCommits(commits),
        unrepresentable: (event) => {
          const bad = badKey(event.streamId, [event]) ?? oversize([importItem(event)]);
          return bad === null ? null : bad.message;
        },
      },
      events,
    );
  }

  async #storedRanges(ranges: readonly StoredRange[]): Promise<Map<string, EventEnvelope[]>> {
    const stored = new Map<string, EventEnvelope[]>();
    await eachAtMost(IMPORT_PARALLEL, ranges, async ({ streamId, from, to }) => {
      stored.set(streamId, await this.readStream(streamId, { fromVersion: from, toVersion: to }));
    });
    return stored;
  }

  /** Streams in parallel, each stream's commits one after another: a commit's check needs the one before it stored. */
  async #importCommits(commits: readonly ImportCommit[]): Promise<boolean[]> {
    const landed = commits.map(() => false);
    const streams = new Map<string, number[]>();
    commits.forEach((commit, index) => streams.set(commit.streamId, [...(streams.get(commit.streamId) ?? []), index]));
    await eachAtMost(IMPORT_PARALLEL, [...streams.values()], async (indexes) => {
      for (const index of indexes) {
        const commit = commits[index] as ImportCommit;
        const check = commit.base === 0 ? null : { version: commit.base, hash: commit.previousHash };
        const written = await this.#write(commit.streamId, commit.events.map(importItem), check);
        if (written !== true) return;
        landed[index] = true;
        const last = commit.events.at(-1) as EventEnvelope;
        this.#known.saw(commit.streamId, last.version, last.hash);
      }
    });
    return landed;
  }

  /**
   * True once the commit is stored; false when a version was taken first, or version `check` (when given) does not
   * exist. A commit found already stored, by an earlier attempt of ours, counts as stored. With a completion, the
   * key's record is one more item of the transaction, conditioned on its owner: CLAIM_LOST when only that failed.
   */
  async #write(streamId: string, items: readonly EventItem[], check: ChainCheck | null, completion?: IdempotencyCompletion): Promise<boolean | typeof CLAIM_LOST> {
    const extra = completion === undefined ? [] : [{ Update: completionTransactUpdate(this.tables.idempotency, completion) }];
    const roomForCheck = items.length + extra.length < MAX_TRANSACTION_ITEMS;
    if (check !== null && !roomForCheck && (await this.#hashAt(streamId, check.version)) !== check.hash) return false;
    const checked = check !== null && roomForCheck;
    const ours = (index: number, found: Record<string, unknown> | undefined): boolean => found !== undefined && found.EventId === items[index]?.EventId;
    const wire = items.map(wireItem);
    return withRetries(async () => {
      try {
        if (wire.length === 1 && !checked && extra.length === 0) {
          await this.client.send(new PutItemCommand({ TableName: this.tables.events, Item: wire[0], ConditionExpression: NOT_STORED, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
        } else {
          const puts = wire.map((item) => ({ Put: { TableName: this.tables.events, Item: item, ConditionExpression: NOT_STORED, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } }));
          const key = { AggregateId: { S: streamId }, Version: { N: String(check?.version) } };
          await this.client.send(
            new TransactWriteItemsCommand({
              // One token per attempt: the SDK resends it when a response is lost, so a commit that did land is not written twice.
              ClientRequestToken: randomUUID(),
              TransactItems: [...(checked ? [{ ConditionCheck: { TableName: this.tables.events, Key: key, ...chainCondition(check?.hash ?? GENESIS_HASH) } }] : []), ...puts, ...extra],
            }),
          );
        }
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return ours(0, error.Item && plainItem(error.Item));
        const reasons = cancellationReasons(error);
        if (reasons === null || !reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) throw error;
        const [checkReason, putReasons] = checked ? [reasons[0], reasons.slice(1, 1 + items.length)] : [undefined, reasons.slice(0, items.length)];
        if (checkReason?.Code === 'ConditionalCheckFailed') return false;
        if (putReasons.every((reason, index) => reason.Code === 'ConditionalCheckFailed' && ours(index, reason.Item && plainItem(reason.Item)))) return true;
        // The versions were free and the check held: only the key's owner condition can have failed.
        if (extra.length > 0 && putReasons.every((reason) => reason.Code !== 'ConditionalCheckFailed') && reasons.at(-1)?.Code === 'ConditionalCheckFailed') return CLAIM_LOST;
        return false;
      }
    });
  }

  /** The hash of the stream's event at `version`, read consistently (an item from before the chain: the genesis); undefined when there is none. */
  async #hashAt(streamId: string, version: number): Promise<string | undefined> {
    const found = await withRetries(() =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tables.events,
          Key: { AggregateId: { S: streamId }, Version: { N: String(version) } },
          ProjectionExpression: '#v, #h',
          ExpressionAttributeNames: { '#v': 'Version', '#h': 'Hash' },
          ConsistentRead: true,
        }),
      ),
    );
    if (found.Item === undefined) return undefined;
    const hash = found.Item.Hash?.S ?? GENESIS_HASH;
    this.#known.saw(streamId, version, hash);
    return hash;
  }

  /** The stream's last version and hash, read consistently (0 and the genesis: no stream). */
  async #headLink(streamId: string): Promise<{ version: number; hash: string }> {
    const found = await withRetries(() =>
      this.client.send(
        new QueryCommand({
          TableName: this.tables.events,
          KeyConditionExpression: 'AggregateId = :id',
          ExpressionAttributeValues: { ':id': { S: streamId } },
          ProjectionExpression: '#v, #h',
          ExpressionAttributeNames: { '#v': 'Version', '#h': 'Hash' },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      ),
    );
    const head = found.Items?.[0];
    const version = Number(head?.Version?.N ?? 0);
    const hash = head?.Hash?.S ?? GENESIS_HASH;
    this.#known.saw(streamId, version, hash);
    return { version, hash };
  }

  /** The stream's last version, read consistently (0: no stream); its hash is remembered for the next append. */
  async #head(streamId: string): Promise<number> {
    return (await this.#headLink(streamId)).version;
  }

  async readStream(streamId: string, options: StreamReadOptions = {}): Promise<EventEnvelope[]> {
    const from = options.fromVersion ?? 1;
    const to = options.toVersion ?? Number.MAX_SAFE_INTEGER;
    if (from > to) return [];
    const names: Record<string, string> = { '#v': 'Version' };
    const values: Record<string, AttributeValue> = { ':id': { S: streamId }, ':from': { N: String(from) }, ':to': { N: String(to) } };
    let filter: { FilterExpression: string } | object = {};
    if (options.until !== undefined) {
      names['#ts'] = 'Timestamp';
      values[':until'] = { S: instant(options.until, 'until') };
      filter = { FilterExpression: '#ts <= :until' };
    }
    const events = await this.#query({
      TableName: this.tables.events,
      KeyConditionExpression: 'AggregateId = :id AND #v BETWEEN :from AND :to',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ...filter,
      ConsistentRead: true,
    });
    const last = events.at(-1);
    if (last) this.#known.saw(streamId, last.version, last.hash);
    return events;
  }

  /**
   * Through the EventTypeIndex. A GSI is eventually consistent on AWS (an event shows up there shortly after
   * its commit); DynamoDB Local updates it with the write. Ties on time are ordered by stream and version here,
   * and a limit that falls inside a tie reads the whole tie first, so that the cut is the same as the other stores'.
   */
  async readByType(type: string, options: TypeReadOptions = {}): Promise<EventEnvelope[]> {
    const names: Record<string, string> = { '#type': 'EventType' };
    const values: Record<string, AttributeValue> = { ':type': { S: type } };
    const bounds: string[] = [];
    for (const [bound, operator] of [['from', '>='], ['to', '<=']] as const) {
      const value = options[bound];
      if (value === undefined) continue;
      names['#ts'] = 'Timestamp';
      values[`:${bound}`] = { S: instant(value, bound) };
      bounds.push(`#ts ${operator} :${bound}`);
    }
    const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
    const timeOf = (event: EventEnvelope | undefined): string => indexTimestamp((event as EventEnvelope).occurredAt);
    const events = await this.#query(
      {
        TableName: this.tables.events,
        IndexName: EVENT_TYPE_INDEX,
        // A key condition takes one range test on the sort key: both bounds make a BETWEEN.
        KeyConditionExpression: `#type = :type${bounds.length === 2 ? ' AND #ts BETWEEN :from AND :to' : bounds.map((test) => ` AND ${test}`).join('')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
      (read) => read.length > limit && timeOf(read.at(-1)) !== timeOf(read[limit - 1]),
    );
    return events.sort(byIndexOrder).slice(0, limit);
  }

  /** Every page of a query, in order, until `enough` says the rest is not needed. */
  async #query(input: QueryCommandInput, enough: (read: EventEnvelope[]) => boolean = () => false): Promise<EventEnvelope[]> {
    return withRetries(async () => {
      const events: EventEnvelope[] = [];
      for await (const page of paginateQuery({ client: this.client }, input)) {
        for (const item of page.Items ?? []) events.push(envelopeOf(plainItem(item)));
        if (enough(events)) break;
      }
      return events;
    });
  }

  /** The client belongs to whoever opened the adapters (openDynamoDb), which closes it. */
  async close(): Promise<void> {}
}

const instant = (value: string, name: string): string => {
  if (Number.isNaN(Date.parse(value))) throw new RangeError(`readByType: ${name} must be an ISO 8601 instant, got ${JSON.stringify(value)}`);
  return indexTimestamp(value);
};

const byIndexOrder = (a: EventEnvelope, b: EventEnvelope): number => {
  const [x, y] = [indexTimestamp(a.occurredAt), indexTimestamp(b.occurredAt)];
  return x < y ? -1 : x > y ? 1 : a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : a.version - b.version;
};

/** The previous event must exist and carry the hash the commit chains from (an item from before the chain passes for the genesis). */
interface ChainCheck {
  readonly version: number;
  readonly hash: string;
}

const chainCondition = (hash: string): { ConditionExpression: string; ExpressionAttributeNames: Record<string, string>; ExpressionAttributeValues: Record<string, AttributeValue> } => ({
  ConditionExpression: hash === GENESIS_HASH ? `${STORED} AND (attribute_not_exists(#h) OR #h = :h)` : `${STORED} AND #h = :h`,
  ExpressionAttributeNames: { '#h': 'Hash' },
  ExpressionAttributeValues: { ':h': { S: hash } },
});

const raced = (streamId: string, expected: ExpectedVersion, actual: number): AppendError => ({
  code: 'EVENT_STORE.CONCURRENCY_CONFLICT',
  message: `stream ${streamId} moved while the commit was written (now at version ${actual}); another writer took the version first`,
  streamId,
  expected,
  actual,
});

/** Parallel reads and stream writes of one import: well within on-demand capacity, and the SDK's connection pool. */
const IMPORT_PARALLEL = 16;

/** An imported event as the table holds it: its own id, recordedAt and links. */
const importItem = (event: EventEnvelope): EventItem =>
  eventItem(event.streamId, event.version, event.eventId, event, event.recordedAt, { previousHash: event.previousHash as string, hash: event.hash as string });

/** `work` for every item, at most `limit` at a time. */
const eachAtMost = async <T>(limit: number, items: readonly T[], work: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
};

/** A key attribute holds 1 to 2,048 bytes (the partition key's limit; the index key is a partition key too). */
const MAX_KEY_BYTES = 2_048;

/** Keys DynamoDB would refuse, refused before any request: the stream id and the event types (index keys). */
const badKey = (streamId: string, events: readonly NewEvent[]): AppendError | null => {
  const keys = [['stream id', streamId] as const, ...events.map((event) => ['event type', event.type] as const)];
  for (const [name, key] of keys) {
    const bytes = Buffer.byteLength(key, 'utf8');
    if (bytes === 0 || bytes > MAX_KEY_BYTES) return { code: 'EVENT_STORE.INVALID_APPEND', message: `the ${name} is ${bytes} bytes; DynamoDB keys hold 1 to ${MAX_KEY_BYTES} bytes` };
  }
  return null;
};

/** Items DynamoDB would refuse, refused before sending, with the limit and the size. */
const oversize = (items: readonly EventItem[]): AppendError | null => {
  let total = 0;
  for (const item of items) {
    const bytes = itemBytes(item);
    total += bytes;
    if (bytes > MAX_ITEM_BYTES) {
      return { code: 'EVENT_STORE.INVALID_APPEND', message: `event ${item.EventId} is ${kilobytes(bytes)} (${bytes} bytes) as a DynamoDB item; an item holds at most 400 KB (${MAX_ITEM_BYTES} bytes)` };
    }
  }
  if (total > MAX_TRANSACTION_BYTES) {
    return { code: 'EVENT_STORE.INVALID_APPEND', message: `the commit is ${kilobytes(total)} (${total} bytes); one DynamoDB transaction holds at most 4 MB (${MAX_TRANSACTION_BYTES} bytes)` };
  }
  return null;
};
