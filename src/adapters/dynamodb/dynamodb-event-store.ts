import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand, TransactWriteCommand, paginateQuery, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { err, ok, type Result } from 'neverthrow';
import { expectedVersionConflict, validateAppend } from '../../application/events/append-rules.js';
import type { EventEnvelope, NewEvent } from '../../application/events/envelope.js';
import type { AppendError, AppendResult, EventStore, ExpectedVersion, StreamReadOptions, TypeReadOptions } from '../../application/ports/event-store.js';
import type { Clock } from '../../application/ports/runtime.js';
import { plainItem } from './attribute-values.js';
import { EventIdGuards } from './event-id-guards.js';
import { envelopeOf, eventItem, indexTimestamp, type EventItem } from './event-item.js';
import { itemBytes, kilobytes, MAX_ITEM_BYTES, MAX_TRANSACTION_BYTES } from './item-size.js';
import { KnownVersions } from './known-versions.js';
import { cancellationReasons, DynamoDbUnavailableError, isConditionFailure, withRetries } from './sdk-errors.js';
import { EVENT_TYPE_INDEX, type TableNames } from './table-definitions.js';

/** How often an append with 'any' goes back for the stream's new end after losing a race for it. */
const ANY_ATTEMPTS = 10;
const NOT_STORED = 'attribute_not_exists(AggregateId)';

/**
 * The ADR's event store on DynamoDB. A commit is one conditional PutItem (one event) or one TransactWriteItems
 * (several), every item conditional on its version not existing. An append at version N+1 is only sent once N is
 * known to exist, from this process's own appends and reads or a consistent read, so that an append ahead of the
 * stream fails like a stale one. DynamoDB has no global order: `globalPosition` is null, and the committed-event
 * feed is the table's stream (DynamoDbStreamFeed).
 */
export class DynamoDbEventStore implements EventStore {
  readonly #known = new KnownVersions();
  readonly #guards: EventIdGuards;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: Pick<TableNames, 'events' | 'eventIds'>,
    private readonly clock: Clock,
  ) {
    this.#guards = new EventIdGuards(doc, tables.eventIds, tables.events);
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion): Promise<Result<AppendResult, AppendError>> {
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
    for (let attempt = 1; ; attempt += 1) {
      const base = await this.#baseVersion(streamId, expected);
      if (base.isErr()) return err(base.error);
      const items = events.map((event, index) => eventItem(streamId, base.value + index + 1, event, recordedAt));
      const tooLarge = oversize(items);
      if (tooLarge) return err(tooLarge);
      const duplicate = await this.#guards.reserve({ streamId, events: items.map((item) => ({ eventId: item.EventId, version: item.Version })) });
      if (duplicate) return err({ code: 'EVENT_STORE.DUPLICATE_EVENT_ID', ...duplicate });
      if (await this.#write(items)) {
        const nextVersion = base.value + items.length;
        this.#known.saw(streamId, nextVersion);
        return ok({ streamId, nextVersion, lastPosition: null });
      }
      const actual = await this.#head(streamId);
      if (expected !== 'any') return err(expectedVersionConflict(streamId, expected, actual) ?? raced(streamId, expected, actual));
      if (attempt === ANY_ATTEMPTS) return err(raced(streamId, expected, actual));
    }
  }

  /** The version the commit goes after, once the expectation holds; the stream's end for 'any'. */
  async #baseVersion(streamId: string, expected: ExpectedVersion): Promise<Result<number, AppendError>> {
    if (expected === 'any') return ok(await this.#head(streamId));
    const wanted = expected === 'no-stream' ? 0 : expected;
    const known = this.#known.get(streamId);
    if (known === wanted || (wanted === 0 && known === 0)) return ok(wanted);
    const conflict = expectedVersionConflict(streamId, expected, await this.#head(streamId));
    return conflict ? err(conflict) : ok(wanted);
  }

  /** True once the commit is stored, false when a version was taken first. A commit found already stored, by an earlier attempt of ours, counts as stored. */
  async #write(items: readonly EventItem[]): Promise<boolean> {
    const ours = (index: number, found: Record<string, unknown> | undefined): boolean => found !== undefined && found.EventId === items[index]?.EventId;
    return withRetries(async () => {
      try {
        if (items.length === 1) {
          await this.doc.send(new PutCommand({ TableName: this.tables.events, Item: items[0], ConditionExpression: NOT_STORED, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
        } else {
          await this.doc.send(
            new TransactWriteCommand({
              // One token per attempt: the SDK resends it when a response is lost, so a commit that did land is not written twice.
              ClientRequestToken: randomUUID(),
              TransactItems: items.map((item) => ({ Put: { TableName: this.tables.events, Item: item, ConditionExpression: NOT_STORED, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } })),
            }),
          );
        }
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return ours(0, error.Item && plainItem(error.Item));
        const reasons = cancellationReasons(error);
        if (reasons === null || !reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) throw error;
        return reasons.every((reason, index) => reason.Code === 'ConditionalCheckFailed' && ours(index, reason.Item && plainItem(reason.Item)));
      }
    });
  }

  /** The stream's last version, read consistently (0: no stream). */
  async #head(streamId: string): Promise<number> {
    const found = await withRetries(() =>
      this.doc.send(
        new QueryCommand({
          TableName: this.tables.events,
          KeyConditionExpression: 'AggregateId = :id',
          ExpressionAttributeValues: { ':id': streamId },
          ProjectionExpression: '#v',
          ExpressionAttributeNames: { '#v': 'Version' },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      ),
    );
    const head = typeof found.Items?.[0]?.Version === 'number' ? found.Items[0].Version : 0;
    this.#known.saw(streamId, head);
    return head;
  }

  async readStream(streamId: string, options: StreamReadOptions = {}): Promise<EventEnvelope[]> {
    const from = options.fromVersion ?? 1;
    const to = options.toVersion ?? Number.MAX_SAFE_INTEGER;
    if (from > to) return [];
    const names: Record<string, string> = { '#v': 'Version' };
    const values: Record<string, unknown> = { ':id': streamId, ':from': from, ':to': to };
    let filter: { FilterExpression: string } | object = {};
    if (options.until !== undefined) {
      names['#ts'] = 'Timestamp';
      values[':until'] = instant(options.until, 'until');
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
    const values: Record<string, unknown> = { ':type': type };
    const bounds: string[] = [];
    for (const [bound, operator] of [['from', '>='], ['to', '<=']] as const) {
      const value = options[bound];
      if (value === undefined) continue;
      names['#ts'] = 'Timestamp';
      values[`:${bound}`] = instant(value, bound);
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
      for await (const page of paginateQuery({ client: this.doc }, input)) {
        for (const item of page.Items ?? []) events.push(envelopeOf(item));
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

/** A key attribute holds 1 to 2,048 bytes (the partition key's limit; the index and guard keys are partition keys too). */
const MAX_KEY_BYTES = 2_048;

/** Keys DynamoDB would refuse, refused before any request: the stream id, the event ids and the event types (index keys). */
const badKey = (streamId: string, events: readonly NewEvent[]): AppendError | null => {
  const keys = [['stream id', streamId] as const, ...events.flatMap((event) => [['event id', event.eventId] as const, ['event type', event.type] as const])];
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
