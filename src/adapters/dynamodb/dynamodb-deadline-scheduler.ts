import { createHash } from 'node:crypto';
import { DeleteCommand, PutCommand, UpdateCommand, paginateQuery, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { canonicalInstant, deadlineOrder, holdUntil, type Deadline, type DeadlineScheduler, type DeadlineSummary } from '../../application/ports/deadline-scheduler.js';
import { isConditionFailure, withRetries } from './sdk-errors.js';
import { DUE_INDEX, INSTANCE_INDEX } from './table-definitions.js';

/**
 * How many `Due` partitions of the DueIndex pending deadlines are spread over. One index partition takes about
 * 1,000 writes a second, and every deadline writes the index about three times (scheduled, held, removed): one
 * partition would cap the whole service near 300 new deadlines a second. Four lift that fourfold; a poll
 * queries each and merges them, so more shards cost every poll a query each.
 */
export const DUE_SHARDS = 4;

/** Key is a reserved word and the others are close to some: every expression names attributes through these. */
const NAMES: Readonly<Record<string, string>> = {
  '#id': 'Id',
  '#workflow': 'Workflow',
  '#key': 'Key',
  '#dueAt': 'DueAt',
  '#due': 'Due',
  '#instance': 'Instance',
  '#heldBy': 'HeldBy',
  '#heldUntil': 'HeldUntil',
  '#since': 'Since',
};

/** Only the names an expression uses: DynamoDB refuses the others. */
const namesIn = (...expressions: string[]): Record<string, string> => {
  const text = expressions.join(' ');
  return Object.fromEntries(Object.entries(NAMES).filter(([alias]) => new RegExp(`${alias}\\b`).test(text)));
};

const shardOf = (id: string): string => `pending#${(createHash('sha256').update(id).digest()[0] ?? 0) % DUE_SHARDS}`;
const SHARDS = Array.from({ length: DUE_SHARDS }, (_, shard) => `pending#${shard}`);

/** An item as the Deadlines table holds it; instants in the canonical ISO form, so that they compare as text. */
interface DeadlineItem {
  readonly Id: string;
  readonly Workflow: string;
  readonly Key: string;
  readonly DueAt: string;
  /** When the workflow instance started; absent when the deadline was scheduled without it. */
  readonly Since?: string;
  /** The DueIndex partition: `pending#<shard>`, from a hash of the id. */
  readonly Due: string;
  /** The InstanceIndex partition: `<workflow>#<key>`, made exact by a filter on Workflow and Key. */
  readonly Instance: string;
  readonly HeldBy?: string;
  readonly HeldUntil?: string;
}

const deadlineOf = (item: Record<string, unknown>): Deadline => ({
  id: String(item.Id),
  workflow: String(item.Workflow),
  key: String(item.Key),
  dueAt: String(item.DueAt),
  ...(typeof item.Since === 'string' ? { since: item.Since } : {}),
});

/**
 * Deadlines as items of the Deadlines table, found by due time through the DueIndex. Indexes are eventually
 * consistent: a poll may miss a deadline scheduled a moment ago (the next poll finds it) or see one that was
 * just held or removed. The guard against two pollers is therefore the conditional UpdateItem that takes each
 * deadline (held by nobody, or a hold that ran out at `now`, and the item still there), never the index read.
 */
export class DynamoDbDeadlineScheduler implements DeadlineScheduler {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async schedule(deadline: Deadline): Promise<void> {
    const { id, workflow, key, since } = deadline;
    const item: DeadlineItem = {
      Id: id,
      Workflow: workflow,
      Key: key,
      DueAt: canonicalInstant(deadline.dueAt),
      ...(since === undefined ? {} : { Since: canonicalInstant(since) }),
      Due: shardOf(id),
      Instance: `${workflow}#${key}`,
    };
    const condition = 'attribute_not_exists(#id)';
    await withRetries(async () => {
      try {
        await this.doc.send(new PutCommand({ TableName: this.table, Item: item, ConditionExpression: condition, ExpressionAttributeNames: namesIn(condition) }));
      } catch (error) {
        // Scheduled before: the first deadline stays as it was.
        if (!isConditionFailure(error)) throw error;
      }
    });
  }

  async cancel(id: string): Promise<void> {
    await this.#remove(id);
  }

  async claimDue(now: string, limit: number, owner: string, holdMs: number): Promise<readonly Deadline[]> {
    const at = canonicalInstant(now);
    const until = holdUntil(at, holdMs);
    if (limit <= 0) return [];
    const keyCondition = '#due = :due AND #dueAt <= :now';
    const filter = 'attribute_not_exists(#heldUntil) OR #heldUntil <= :now';
    const candidates = await this.#fromEveryShard(
      (due) => ({ KeyConditionExpression: keyCondition, FilterExpression: filter, ExpressionAttributeNames: namesIn(keyCondition, filter), ExpressionAttributeValues: { ':due': due, ':now': at } }),
      limit,
    );
    // Oldest first, in rounds: a candidate another poller took meanwhile makes room for the next one.
    const claimed: Deadline[] = [];
    let next = 0;
    while (claimed.length < limit && next < candidates.length) {
      const round = candidates.slice(next, next + limit - claimed.length);
      next += round.length;
      const taken = await Promise.all(round.map((candidate) => this.#hold(candidate.id, at, owner, until)));
      claimed.push(...taken.filter((deadline): deadline is Deadline => deadline !== null));
    }
    return claimed.sort(deadlineOrder);
  }

  async complete(id: string): Promise<void> {
    await this.#remove(id);
  }

  async pendingFor(workflow: string, key: string): Promise<readonly Deadline[]> {
    const keyCondition = '#instance = :instance';
    const filter = '#workflow = :workflow AND #key = :key';
    const items = await this.#query(
      {
        IndexName: INSTANCE_INDEX,
        KeyConditionExpression: keyCondition,
        FilterExpression: filter,
        ExpressionAttributeNames: namesIn(keyCondition, filter),
        ExpressionAttributeValues: { ':instance': `${workflow}#${key}`, ':workflow': workflow, ':key': key },
      },
      Infinity,
    );
    return items.map(deadlineOf).sort(deadlineOrder);
  }

  async overdue(now: string, limit: number): Promise<readonly Deadline[]> {
    const at = canonicalInstant(now);
    if (limit <= 0) return [];
    const keyCondition = '#due = :due AND #dueAt < :now';
    return (
      await this.#fromEveryShard((due) => ({ KeyConditionExpression: keyCondition, ExpressionAttributeNames: namesIn(keyCondition), ExpressionAttributeValues: { ':due': due, ':now': at } }), limit)
    ).slice(0, limit);
  }

  /**
   * Reads every pending deadline, of every workflow: the filter on Workflow drops the others only after they were
   * read (and paid for), page by page over each DueIndex shard. Fine for thousands of workflows in flight; well
   * beyond that, keep a counter item per workflow instead (pending count and so on, written in the same
   * transaction as each deadline) rather than reading them all at every scrape. Like every index read it may lag
   * a moment behind the latest writes.
   */
  async summary(workflow: string, now: string): Promise<DeadlineSummary> {
    const at = canonicalInstant(now);
    const keyCondition = '#due = :due';
    const filter = '#workflow = :workflow';
    const projection = '#dueAt, #since';
    const shards = await Promise.all(
      SHARDS.map((due) =>
        this.#query(
          {
            IndexName: DUE_INDEX,
            KeyConditionExpression: keyCondition,
            FilterExpression: filter,
            ProjectionExpression: projection,
            ExpressionAttributeNames: namesIn(keyCondition, filter, projection),
            ExpressionAttributeValues: { ':due': due, ':workflow': workflow },
          },
          Infinity,
        ),
      ),
    );
    let pending = 0;
    let overdue = 0;
    let oldestSince: string | null = null;
    for (const item of shards.flat()) {
      pending += 1;
      if (String(item.DueAt) < at) overdue += 1;
      if (typeof item.Since === 'string' && (oldestSince === null || item.Since < oldestSince)) oldestSince = item.Since;
    }
    return { pending, overdue, oldestSince };
  }

  /** Takes one deadline for `owner` when nobody holds it at `now`; null when another poller holds it or it is gone. */
  async #hold(id: string, now: string, owner: string, until: string): Promise<Deadline | null> {
    const update = 'SET #heldBy = :owner, #heldUntil = :until';
    // attribute_exists: UpdateItem would otherwise bring back a deadline completed meanwhile, as a bare item.
    const condition = 'attribute_exists(#id) AND #dueAt <= :now AND (attribute_not_exists(#heldUntil) OR #heldUntil <= :now)';
    return withRetries(async () => {
      try {
        const written = await this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { Id: id },
            UpdateExpression: update,
            ConditionExpression: condition,
            ExpressionAttributeNames: namesIn(update, condition),
            ExpressionAttributeValues: { ':owner': owner, ':until': until, ':now': now },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return written.Attributes === undefined ? null : deadlineOf(written.Attributes);
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        return null;
      }
    });
  }

  async #remove(id: string): Promise<void> {
    await withRetries(() => this.doc.send(new DeleteCommand({ TableName: this.table, Key: { Id: id } })));
  }

  /** The oldest `limit` of each DueIndex shard, merged oldest first. */
  async #fromEveryShard(input: (due: string) => Omit<QueryCommandInput, 'TableName' | 'IndexName'>, limit: number): Promise<Deadline[]> {
    const shards = await Promise.all(SHARDS.map((due) => this.#query({ IndexName: DUE_INDEX, ...input(due) }, limit)));
    return shards.flat().map(deadlineOf).sort(deadlineOrder);
  }

  /** Up to `want` items, oldest first (the index's sort key), page by page: a filter may leave a page short or empty. */
  async #query(input: Omit<QueryCommandInput, 'TableName'>, want: number): Promise<Record<string, unknown>[]> {
    return withRetries(async () => {
      const items: Record<string, unknown>[] = [];
      const pageSize = Number.isFinite(want) ? Math.min(1_000, Math.max(want, 100)) : undefined;
      for await (const page of paginateQuery({ client: this.doc, ...(pageSize === undefined ? {} : { pageSize }) }, { TableName: this.table, ScanIndexForward: true, ...input })) {
        items.push(...(page.Items ?? []));
        if (items.length >= want) break;
      }
      return items.slice(0, want);
    });
  }
}
