import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventEnvelope } from '../../application/events/envelope.js';
import type { EventArchive } from '../../application/ports/event-archive.js';
import { envelopeOf } from './event-item.js';
import { withRetries } from './sdk-errors.js';
import { inVersionOrder } from './stream-records.js';

/**
 * Every event in the event table, by a parallel Scan (consistent reads). A Scan hands each partition key's
 * items together, in sort-key (version) order, and one key lies in one segment; a segment's pages are
 * handed over one after the other, so each stream arrives in version order. Segments run concurrently.
 */
export class DynamoDbEventArchive implements EventArchive {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly segments = 4,
  ) {}

  /** Once one segment fails, the others stop at their next page, and the call settles only after all have. */
  async scan(onBatch: (events: readonly EventEnvelope[]) => Promise<void>): Promise<void> {
    const stop = { requested: false };
    const settled = await Promise.allSettled(
      Array.from({ length: this.segments }, (_, segment) =>
        this.#scanSegment(segment, onBatch, stop).catch((error: unknown) => {
          stop.requested = true;
          throw error;
        }),
      ),
    );
    const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  /** ItemCount, which DynamoDB refreshes about every six hours: enough for a progress report. */
  async approximateCount(): Promise<number> {
    const described = await withRetries(() => this.client.send(new DescribeTableCommand({ TableName: this.table })));
    return described.Table?.ItemCount ?? 0;
  }

  /** Page by page, each page retried on its own, so that a throttled page does not send the segment's earlier pages again. */
  async #scanSegment(segment: number, onBatch: (events: readonly EventEnvelope[]) => Promise<void>, stop: { readonly requested: boolean }): Promise<void> {
    let start: Record<string, unknown> | undefined;
    do {
      if (stop.requested) return;
      const from = start;
      const page = await withRetries(() =>
        this.doc.send(new ScanCommand({ TableName: this.table, Segment: segment, TotalSegments: this.segments, ConsistentRead: true, ...(from ? { ExclusiveStartKey: from } : {}) })),
      );
      const events = (page.Items ?? []).map(envelopeOf);
      // Sorted again per stream in case a page's order is ever not the key order: cheap, and the guarantee rests on it.
      if (events.length > 0) await onBatch(inVersionOrder(events));
      start = page.LastEvaluatedKey;
    } while (start);
  }
}
