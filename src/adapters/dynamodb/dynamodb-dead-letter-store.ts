import { DeleteCommand, GetCommand, paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventEnvelope } from '../../application/events/envelope.js';
import type { DeadLetter, DeadLetterCode, DeadLetterStore } from '../../application/ports/dead-letter-sink.js';
import { deadLetterOrder } from '../../application/relay/dead-letter-order.js';
import { writeAll } from './batch-requests.js';
import { withRetries } from './sdk-errors.js';

/** A letter as the DeadLetters table holds it; the event is JSON text, so that a replay sends it back exactly as it was. */
interface LetterItem {
  readonly EventId: string;
  readonly Event: string;
  readonly Code: DeadLetterCode;
  readonly Message: string;
  readonly BusErrorCode?: string;
  readonly DeadLetteredAt: string;
}

const itemOf = (letter: DeadLetter): LetterItem => ({
  EventId: letter.event.eventId,
  Event: JSON.stringify(letter.event),
  Code: letter.code,
  Message: letter.message,
  ...(letter.busErrorCode === null ? {} : { BusErrorCode: letter.busErrorCode }),
  DeadLetteredAt: letter.deadLetteredAt,
});

const letterOf = (item: Record<string, unknown>): DeadLetter => ({
  event: JSON.parse(String(item.Event)) as EventEnvelope,
  code: item.Code as DeadLetterCode,
  message: String(item.Message),
  busErrorCode: typeof item.BusErrorCode === 'string' ? item.BusErrorCode : null,
  deadLetteredAt: String(item.DeadLetteredAt),
});

/** Dead letters by event id, for the operator to list, replay or discard. */
export class DynamoDbDeadLetterStore implements DeadLetterStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(letters: readonly DeadLetter[]): Promise<void> {
    // One request per event id, the last letter winning: BatchWriteItem refuses a key twice in one call.
    const latest = new Map(letters.map((letter) => [letter.event.eventId, itemOf(letter)]));
    await writeAll(this.doc, this.table, [...latest.values()].map((Item) => ({ PutRequest: { Item } })));
  }

  /**
   * A Scan of the whole table, sorted here: dead letters are few (an event the bus refuses for good is a
   * bug to fix, not traffic), so an index ordered by time would cost every write for nothing.
   */
  async list(limit: number, after?: string): Promise<DeadLetter[]> {
    const letters = await withRetries(async () => {
      const found: DeadLetter[] = [];
      for await (const page of paginateScan({ client: this.doc }, { TableName: this.table, ConsistentRead: true })) found.push(...(page.Items ?? []).map(letterOf));
      return found;
    });
    const sorted = letters.sort(deadLetterOrder);
    const start = after === undefined ? 0 : sorted.findIndex((letter) => letter.event.eventId === after) + 1;
    return sorted.slice(start, start + limit);
  }

  async get(eventId: string): Promise<DeadLetter | null> {
    const found = await withRetries(() => this.doc.send(new GetCommand({ TableName: this.table, Key: { EventId: eventId }, ConsistentRead: true })));
    return found.Item ? letterOf(found.Item) : null;
  }

  async remove(eventId: string): Promise<boolean> {
    const removed = await withRetries(() => this.doc.send(new DeleteCommand({ TableName: this.table, Key: { EventId: eventId }, ReturnValues: 'ALL_OLD' })));
    return removed.Attributes !== undefined;
  }
}
