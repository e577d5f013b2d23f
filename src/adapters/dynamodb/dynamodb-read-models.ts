import { GetCommand, PutCommand, paginateQuery, paginateScan, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { OrderReadModel, OrderSummary } from '../../application/ports/order-read-model.js';
import type {
  AppliedVersions,
  InventoryLevel,
  InventoryLevelReadModel,
  ReadModelCatalog,
  ReadModelKind,
  SupportHistoryEntry,
  SupportHistoryReadModel,
} from '../../application/ports/read-models.js';
import { mapBounded } from '../../application/bounded-map.js';
import { deleteAll, getAll, writeAll } from './batch-requests.js';
import { appliedVersionsPartition, DynamoDbAppliedVersions } from './dynamodb-applied-versions.js';
import { isConditionFailure, withRetries } from './sdk-errors.js';
import { CUSTOMER_INDEX, type TableNames } from './table-definitions.js';

/** Rows carry their generation in `Generation` and in their keys, `<generation>#<id>`; '#' therefore cannot be part of a generation. */
const keyOf = (generation: string, ...parts: string[]): string => [generation, ...parts].join('#');

const rowsOf = async (doc: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Record<string, unknown>[]> =>
  withRetries(async () => {
    const rows: Record<string, unknown>[] = [];
    for await (const page of paginateQuery({ client: doc }, input)) rows.push(...(page.Items ?? []));
    return rows;
  });

/** Drops the keys and bookkeeping a row carries beside the read model's own fields. */
const fieldsOf = <T>(row: Record<string, unknown>, ...stored: string[]): T => {
  const fields = { ...row };
  for (const name of ['Generation', ...stored]) delete fields[name];
  return fields as T;
};

/** Conditional writes cannot go in a BatchWriteItem: they are sent side by side instead, this many at a time. */
const PUTS_IN_FLIGHT = 16;

/** A row at this version or later is left as it is: a late write (re-delivery, an instance that lost its lease) cannot take it back. */
const putIfNewer = (doc: DynamoDBDocumentClient, table: string, item: Record<string, unknown>, version: number): Promise<void> =>
  withRetries(async () => {
    try {
      await doc.send(
        new PutCommand({
          TableName: table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(#version) OR #version < :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': version },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  });

class DynamoDbOrderReadModel implements OrderReadModel {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly generation: string,
    private readonly soleWriter = false,
  ) {}

  #item(summary: OrderSummary): Record<string, unknown> {
    return { ...summary, Id: keyOf(this.generation, summary.orderId), CustomerKey: keyOf(this.generation, summary.customerId), Generation: this.generation };
  }

  async upsert(summary: OrderSummary): Promise<void> {
    await putIfNewer(this.doc, this.table, this.#item(summary), summary.version);
  }

  async get(orderId: string): Promise<OrderSummary | null> {
    const found = await withRetries(() => this.doc.send(new GetCommand({ TableName: this.table, Key: { Id: keyOf(this.generation, orderId) }, ConsistentRead: true })));
    return found.Item ? fieldsOf<OrderSummary>(found.Item, 'Id', 'CustomerKey') : null;
  }

  async getMany(orderIds: readonly string[]): Promise<Map<string, OrderSummary>> {
    const rows = await getAll(this.doc, this.table, [...new Set(orderIds)].map((orderId) => ({ Id: keyOf(this.generation, orderId) })));
    return new Map(rows.map((row) => fieldsOf<OrderSummary>(row, 'Id', 'CustomerKey')).map((summary) => [summary.orderId, summary]));
  }

  async upsertMany(summaries: readonly OrderSummary[]): Promise<void> {
    if (this.soleWriter) await writeAll(this.doc, this.table, summaries.map((summary) => ({ PutRequest: { Item: this.#item(summary) } })));
    else await mapBounded(summaries, PUTS_IN_FLIGHT, (summary) => this.upsert(summary));
  }

  /** Through the CustomerIndex, eventually consistent on AWS like any GSI (a read model is anyway). */
  async listByCustomer(customerId: string): Promise<OrderSummary[]> {
    const rows = await rowsOf(this.doc, {
      TableName: this.table,
      IndexName: CUSTOMER_INDEX,
      KeyConditionExpression: 'CustomerKey = :c',
      ExpressionAttributeValues: { ':c': keyOf(this.generation, customerId) },
    });
    return rows
      .map((row) => fieldsOf<OrderSummary>(row, 'Id', 'CustomerKey'))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.orderId.localeCompare(b.orderId));
  }
}

class DynamoDbInventoryLevels implements InventoryLevelReadModel {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly generation: string,
    private readonly soleWriter = false,
  ) {}

  async upsert(level: InventoryLevel): Promise<void> {
    await putIfNewer(this.doc, this.table, this.#item(level), level.version);
  }

  #item(level: InventoryLevel): Record<string, unknown> {
    return { ...level, Generation: this.generation, Sku: level.sku };
  }

  async get(sku: string): Promise<InventoryLevel | null> {
    const found = await withRetries(() => this.doc.send(new GetCommand({ TableName: this.table, Key: { Generation: this.generation, Sku: sku }, ConsistentRead: true })));
    return found.Item ? fieldsOf<InventoryLevel>(found.Item, 'Sku') : null;
  }

  async getMany(skus: readonly string[]): Promise<Map<string, InventoryLevel>> {
    const rows = await getAll(this.doc, this.table, [...new Set(skus)].map((sku) => ({ Generation: this.generation, Sku: sku })));
    return new Map(rows.map((row) => fieldsOf<InventoryLevel>(row, 'Sku')).map((level) => [level.sku, level]));
  }

  async upsertMany(levels: readonly InventoryLevel[]): Promise<void> {
    if (this.soleWriter) await writeAll(this.doc, this.table, levels.map((level) => ({ PutRequest: { Item: this.#item(level) } })));
    else await mapBounded(levels, PUTS_IN_FLIGHT, (level) => this.upsert(level));
  }

  async list(): Promise<InventoryLevel[]> {
    const rows = await rowsOf(this.doc, { TableName: this.table, KeyConditionExpression: 'Generation = :g', ExpressionAttributeValues: { ':g': this.generation }, ConsistentRead: true });
    return rows.map((row) => fieldsOf<InventoryLevel>(row, 'Sku')).sort((a, b) => a.sku.localeCompare(b.sku));
  }
}

/** Entries under `<generation>#customer#<id>`, sorted by time then event id; links under `<generation>#link#<from>`. */
class DynamoDbSupportHistory implements SupportHistoryReadModel {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly generation: string,
  ) {}

  async add(entry: SupportHistoryEntry): Promise<void> {
    const item = this.#entryItem(entry);
    await withRetries(async () => {
      try {
        await this.doc.send(new PutCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(Pk)' }));
      } catch (error) {
        // A re-delivered event finds its entry there already: the first one stays.
        if (!isConditionFailure(error)) throw error;
      }
    });
  }

  /**
   * 25 a call, unconditional (BatchWriteItem takes no conditions): a re-delivered event's entry has the same key and the
   * same content, so it lands on itself, never beside itself. Within the batch the first entry of an event is kept, as `add`.
   */
  async addMany(entries: readonly SupportHistoryEntry[]): Promise<void> {
    const items = new Map<string, Record<string, unknown>>();
    for (const entry of entries) if (!items.has(entry.eventId)) items.set(entry.eventId, this.#entryItem(entry));
    await writeAll(this.doc, this.table, [...items.values()].map((Item) => ({ PutRequest: { Item } })));
  }

  async history(customerId: string): Promise<SupportHistoryEntry[]> {
    const rows = await rowsOf(this.doc, { TableName: this.table, KeyConditionExpression: 'Pk = :pk', ExpressionAttributeValues: { ':pk': keyOf(this.generation, 'customer', customerId) }, ConsistentRead: true });
    return rows.map((row) => fieldsOf<SupportHistoryEntry>(row, 'Pk', 'Sk'));
  }

  /** Rewrites the customer's CONTACT items in place (their keys hold no personal data). */
  async scrubContacts(customerId: string, summary: string): Promise<void> {
    const rows = await rowsOf(this.doc, { TableName: this.table, KeyConditionExpression: 'Pk = :pk', ExpressionAttributeValues: { ':pk': keyOf(this.generation, 'customer', customerId) }, ConsistentRead: true });
    const contacts = rows.filter((row) => row.kind === 'CONTACT').map((row) => ({ ...row, summary }));
    await writeAll(this.doc, this.table, contacts.map((Item) => ({ PutRequest: { Item } })));
  }

  async link(from: string, to: string): Promise<void> {
    await withRetries(() => this.doc.send(new PutCommand({ TableName: this.table, Item: this.#linkItem(from, to) })));
  }

  async linkMany(links: ReadonlyMap<string, string>): Promise<void> {
    await writeAll(this.doc, this.table, [...links].map(([from, to]) => ({ PutRequest: { Item: this.#linkItem(from, to) } })));
  }

  async resolve(from: string): Promise<string | null> {
    const found = await withRetries(() => this.doc.send(new GetCommand({ TableName: this.table, Key: { Pk: keyOf(this.generation, 'link', from), Sk: '-' }, ConsistentRead: true })));
    return typeof found.Item?.To === 'string' ? found.Item.To : null;
  }

  async resolveMany(from: readonly string[]): Promise<Map<string, string>> {
    const prefix = keyOf(this.generation, 'link', '');
    const rows = await getAll(this.doc, this.table, [...new Set(from)].map((key) => ({ Pk: `${prefix}${key}`, Sk: '-' })));
    return new Map(rows.flatMap((row) => (typeof row.Pk === 'string' && typeof row.To === 'string' ? [[row.Pk.slice(prefix.length), row.To] as const] : [])));
  }

  #entryItem(entry: SupportHistoryEntry): Record<string, unknown> {
    return { ...entry, Pk: keyOf(this.generation, 'customer', entry.customerId), Sk: `${entry.at}#${entry.eventId}`, Generation: this.generation };
  }

  #linkItem(from: string, to: string): Record<string, unknown> {
    return { Pk: keyOf(this.generation, 'link', from), Sk: '-', Generation: this.generation, To: to };
  }
}

/** Read models by generation, one table per kind; dropping a generation deletes its rows and its applied versions. */
export class DynamoDbReadModelCatalog implements ReadModelCatalog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: Pick<TableNames, 'orders' | 'inventory' | 'support' | 'appliedVersions'>,
    /** Rows go through BatchWriteItem, 25 a call, instead of one conditional PutItem each (which BatchWriteItem cannot carry). */
    private readonly isSoleWriter = false,
  ) {}

  orders(generation: string): OrderReadModel {
    return new DynamoDbOrderReadModel(this.doc, this.tables.orders, checked(generation), this.isSoleWriter);
  }

  inventory(generation: string): InventoryLevelReadModel {
    return new DynamoDbInventoryLevels(this.doc, this.tables.inventory, checked(generation), this.isSoleWriter);
  }

  soleWriter(): ReadModelCatalog {
    return new DynamoDbReadModelCatalog(this.doc, this.tables, true);
  }

  support(generation: string): SupportHistoryReadModel {
    return new DynamoDbSupportHistory(this.doc, this.tables.support, checked(generation));
  }

  appliedVersions(kind: ReadModelKind, generation: string): AppliedVersions {
    return new DynamoDbAppliedVersions(this.doc, this.tables.appliedVersions, appliedVersionsPartition(kind, checked(generation)));
  }

  async drop(kind: ReadModelKind, generation: string): Promise<void> {
    checked(generation);
    // Versions first: a drop cut short then leaves rows that a rebuild re-applies over, never versions that would make it skip events.
    const versions = await rowsOf(this.doc, {
      TableName: this.tables.appliedVersions,
      KeyConditionExpression: 'Pk = :pk',
      ExpressionAttributeValues: { ':pk': appliedVersionsPartition(kind, generation) },
      ProjectionExpression: 'Pk, Sk',
      ConsistentRead: true,
    });
    await deleteAll(this.doc, this.tables.appliedVersions, versions);
    await this.#dropRows(kind, generation);
  }

  /** Inventory rows share their generation's partition; orders and support rows are spread out, so those are found by a scan (rebuilds are rare). */
  async #dropRows(kind: ReadModelKind, generation: string): Promise<void> {
    if (kind === 'inventory') {
      const rows = await rowsOf(this.doc, { TableName: this.tables.inventory, KeyConditionExpression: 'Generation = :g', ExpressionAttributeValues: { ':g': generation }, ProjectionExpression: 'Generation, Sku' });
      return deleteAll(this.doc, this.tables.inventory, rows);
    }
    const [table, keyNames] = kind === 'orders' ? [this.tables.orders, ['Id']] : [this.tables.support, ['Pk', 'Sk']];
    const keys = await withRetries(async () => {
      const found: Record<string, unknown>[] = [];
      const scan = { TableName: table, FilterExpression: 'Generation = :g', ExpressionAttributeValues: { ':g': generation }, ProjectionExpression: keyNames.join(', '), ConsistentRead: true };
      for await (const page of paginateScan({ client: this.doc }, scan)) found.push(...(page.Items ?? []));
      return found;
    });
    await deleteAll(this.doc, table, keys);
  }
}

const checked = (generation: string): string => {
  if (generation === '' || generation.includes('#')) throw new Error(`a read-model generation must be non-empty and free of '#', got ${JSON.stringify(generation)}`);
  return generation;
};
