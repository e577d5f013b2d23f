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
import { expectedVersionConflict, validateAppend } from '../../application/events/append-rules.js';
import type { EventEnvelope, NewEvent } from '../../application/events/envelope.js';
import { newEventIds } from '../../application/events/event-ids.js';
import type { AppendError, AppendOptions, AppendResult, EventStore, ExpectedVersion, StreamReadOptions, TypeReadOptions } from '../../application/ports/event-store.js';
import type { Clock } from '../../application/ports/runtime.js';
import { plainItem } from './attribute-values.js';
import { envelopeOf, eventItem, indexTimestamp, wireItem, type EventItem } from './event-item.js';
import { itemBytes, kilobytes, MAX_ITEM_BYTES, MAX_TRANSACTION_BYTES } from './item-size.js';
import { KnownVersions } from './known-versions.js';
import { cancellationReasons, DynamoDbUnavailableError, isConditionFailure, withRetries } from './sdk-errors.js';
import { EVENT_TYPE_INDEX, type TableNames } from './table-definitions.js';

/** How often an append with 'any' goes back for the stream's new end after losing a race for it. */
const ANY_ATTEMPTS = 10;
const NOT_STORED = 'attribute_not_exists(AggregateId)';
const STORED = 'attribute_exists(AggregateId)';
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
export class DynamoDbEventStore implements EventStore {
  readonly #known = new KnownVersions();

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tables: Pick<TableNames, 'events'>,
    private readonly clock: Clock,
  ) {}

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion, _options: AppendOptions = {}): Promise<Result<AppendResult, AppendError>> {
    const invalid = validateAppend(streamId, events, expected) ?? badKey(streamId, events);
    if (invalid) return err(invalid);
    try {
      return await this.#append(streamId, events, expected);
    } catch (error) {
      if (error instanceof DynamoDbUnavailableError) return err({ code: 'EVENT_STORE.UNAVAILABLE', message: `DynamoDB: ${error.message}` });
      throw error;
    }
  }

  async #append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion): Promise<Result<AppendResult, AppendError>> {
    const recordedAt = this.clock.now();
    // Minted once for every attempt: a write sent again finds its own ids in its slots.
    const eventIds = newEventIds(events.length);
    for (let attempt = 1; ; attempt += 1) {
      const base = expected === 'any' ? await this.#head(streamId) : expected === 'no-stream' ? 0 : expected;
      const items = events.map((event, index) => eventItem(streamId, base + index + 1, eventIds[index] as string, event, recordedAt));
      const tooLarge = oversize(items);
      if (tooLarge) return err(tooLarge);
      // Version `base` must exist unless it is 0 or known to exist; 'any' has just read it.
      const check = base === 0 || expected === 'any' || this.#known.get(streamId) >= base ? null : base;
      if (await this.#write(streamId, items, check)) {
        const nextVersion = base + items.length;
        this.#known.saw(streamId, nextVersion);
        return ok({ streamId, nextVersion, lastPosition: null });
      }
      const actual = await this.#head(streamId);
      if (expected !== 'any') return err(expectedVersionConflict(streamId, expected, actual) ?? raced(streamId, expected, actual));
      if (attempt === ANY_ATTEMPTS) return err(raced(streamId, expected, actual));
    }
  }

  /**
   * True once the commit is stored; false when a version was taken first, or version `check` (when given) does not
   * exist. A commit found already stored, by an earlier attempt of ours, counts as stored.
   */
  async #write(streamId: string, items: readonly EventItem[], check: number | null): Promise<boolean> {
    const roomForCheck = items.length < MAX_TRANSACTION_ITEMS;
    if (check !== null && !roomForCheck && !(await this.#exists(streamId, check))) return false;
    const checked = check !== null && roomForCheck;
    const ours = (index: number, found: Record<string, unknown> | undefined): boolean => found !== undefined && found.EventId === items[index]?.EventId;
    const wire = items.map(wireItem);
    return withRetries(async () => {
      try {
        if (wire.length === 1 && !checked) {
          await this.client.send(new PutItemCommand({ TableName: this.tables.events, Item: wire[0], ConditionExpression: NOT_STORED, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
        } else {
          const puts = wire.map((item) => ({ Put: { TableName: this.tables.events, Item: item, ConditionExpression: NOT_STORED, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } }));
          const key = { AggregateId: { S: streamId }, Version: { N: String(check) } };
          await this.client.send(
            new TransactWriteItemsCommand({
              // One token per attempt: the SDK resends it when a response is lost, so a commit that did land is not written twice.
              ClientRequestToken: randomUUID(),
              TransactItems: checked ? [{ ConditionCheck: { TableName: this.tables.events, Key: key, ConditionExpression: STORED } }, ...puts] : puts,
            }),
          );
        }
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return ours(0, error.Item && plainItem(error.Item));
        const reasons = cancellationReasons(error);
        if (reasons === null || !reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) throw error;
        const [checkReason, putReasons] = checked ? [reasons[0], reasons.slice(1)] : [undefined, reasons];
        if (checkReason?.Code === 'ConditionalCheckFailed') return false;
        return putReasons.every((reason, index) => reason.Code === 'ConditionalCheckFailed' && ours(index, reason.Item && plainItem(reason.Item)));
      }
    });
  }

  /** Whether the stream holds `version`, read consistently. */
  async #exists(streamId: string, version: number): Promise<boolean> {
    const found = await withRetries(() =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tables.events,
          Key: { AggregateId: { S: streamId }, Version: { N: String(version) } },
          ProjectionExpression: '#v',
          ExpressionAttributeNames: { '#v': 'Version' },
          ConsistentRead: true,
        }),
      ),
    );
    if (found.Item !== undefined) this.#known.saw(streamId, version);
    return found.Item !== undefined;
  }

  /** The stream's last version, read consistently (0: no stream). */
  async #head(streamId: string): Promise<number> {
    const found = await withRetries(() =>
      this.client.send(
        new QueryCommand({
          TableName: this.tables.events,
          KeyConditionExpression: 'AggregateId = :id',
          ExpressionAttributeValues: { ':id': { S: streamId } },
          ProjectionExpression: '#v',
          ExpressionAttributeNames: { '#v': 'Version' },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      ),
    );
    const head = Number(found.Items?.[0]?.Version?.N ?? 0);
    this.#known.saw(streamId, head);
    return head;
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
    if (last) this.#known.saw(streamId, last.version);
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

const raced = (streamId: string, expected: ExpectedVersion, actual: number): AppendError => ({
  code: 'EVENT_STORE.CONCURRENCY_CONFLICT',
  message: `stream ${streamId} moved while the commit was written (now at version ${actual}); another writer took the version first`,
  streamId,
  expected,
  actual,
});

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
