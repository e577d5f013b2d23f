import { setTimeout as sleep } from 'node:timers/promises';
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mapBounded } from '../../application/bounded-map.js';
import { DynamoDbUnavailableError, withRetries } from './sdk-errors.js';

type WriteRequest = NonNullable<NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string]>[number];
type Key = Record<string, unknown>;

/** BatchWriteItem takes 25 requests at most; BatchGetItem 100 keys. */
const WRITES_PER_CALL = 25;
const GETS_PER_CALL = 100;
/** Calls of one request sent side by side: a batch of hundreds of items waits for the slowest of a few calls, not for their sum. */
const CALLS_IN_FLIGHT = 4;
/** How often what a batch call handed back unprocessed is sent again before giving up. */
const LEFTOVER_ROUNDS = 10;

/** Leftovers mean the table is throttling: a short, growing pause gives it room, as AWS advises. */
const pause = (round: number): Promise<unknown> => sleep(Math.min(1_000, 10 * 2 ** round) * Math.random());

/** Leftovers come from throttling, which passes: the failure says so. */
const leftOver = (operation: string, table: string, count: number): DynamoDbUnavailableError =>
  new DynamoDbUnavailableError(`${operation} on ${table} still left ${count} unprocessed after ${LEFTOVER_ROUNDS} rounds`, { transient: true });

const chunks = <T>(items: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Sends every request, 25 a call, sending again whatever a call hands back unprocessed. Not atomic: each request stands alone. */
export const writeAll = async (doc: DynamoDBDocumentClient, table: string, requests: readonly WriteRequest[]): Promise<void> => {
  await mapBounded(chunks(requests, WRITES_PER_CALL), CALLS_IN_FLIGHT, async (chunk) => {
    let pending: WriteRequest[] = chunk;
    for (let round = 0; pending.length > 0; round += 1) {
      if (round === LEFTOVER_ROUNDS) throw leftOver('BatchWriteItem', table, pending.length);
      if (round > 0) await pause(round);
      const sent = pending;
      const result = await withRetries(() => doc.send(new BatchWriteCommand({ RequestItems: { [table]: sent } })));
      pending = result.UnprocessedItems?.[table] ?? [];
    }
  });
};

export const deleteAll = (doc: DynamoDBDocumentClient, table: string, keys: readonly Key[]): Promise<void> =>
  writeAll(doc, table, keys.map((Key) => ({ DeleteRequest: { Key } })));

/** The items found for `keys` (no duplicates allowed, as BatchGetItem refuses them), 100 a call, asking again for unprocessed keys. Consistent reads. */
export const getAll = async (doc: DynamoDBDocumentClient, table: string, keys: readonly Key[]): Promise<Record<string, unknown>[]> => {
  const found = await mapBounded(chunks(keys, GETS_PER_CALL), CALLS_IN_FLIGHT, async (chunk) => {
    const items: Record<string, unknown>[] = [];
    let pending: Key[] = chunk;
    for (let round = 0; pending.length > 0; round += 1) {
      if (round === LEFTOVER_ROUNDS) throw leftOver('BatchGetItem', table, pending.length);
      if (round > 0) await pause(round);
      const asked = pending;
      const result = await withRetries(() => doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: asked, ConsistentRead: true } } })));
      items.push(...(result.Responses?.[table] ?? []));
      pending = result.UnprocessedKeys?.[table]?.Keys ?? [];
    }
    return items;
  });
  return found.flat();
};
