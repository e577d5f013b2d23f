import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppliedVersions, ReadModelKind } from '../../application/ports/read-models.js';
import { getAll, writeAll } from './batch-requests.js';

/** The partition of one kind's generation: `<kind>#<generation>` (generations are free of '#'). */
export const appliedVersionsPartition = (kind: ReadModelKind, generation: string): string => `${kind}#${generation}`;

/**
 * One item per stream under the generation's partition (Sk: the stream id). A busy generation's partition
 * is one item collection; DynamoDB splits a hot collection by sort key, so it is not capped at one
 * partition's throughput.
 */
export class DynamoDbAppliedVersions implements AppliedVersions {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly partition: string,
  ) {}

  async get(streamIds: readonly string[]): Promise<Map<string, number>> {
    const keys = [...new Set(streamIds)].map((Sk) => ({ Pk: this.partition, Sk }));
    const items = await getAll(this.doc, this.table, keys);
    return new Map(items.map((item) => [item.Sk as string, item.Version as number]));
  }

  async set(versions: ReadonlyMap<string, number>): Promise<void> {
    const puts = [...versions].map(([Sk, Version]) => ({ PutRequest: { Item: { Pk: this.partition, Sk, Version } } }));
    await writeAll(this.doc, this.table, puts);
  }
}
