/**
 * P1 on DynamoDB against its floor, on one table: the order summary rebuilt from a scan of the event table
 * (what P1 measures there) and a bare parallel Scan of the same table (4 segments, items left undecoded).
 * `npx tsx bench/dynamodb-scan-floor.ts [--log-events N]`; prints both rates and their ratio.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { Command, InvalidArgumentError } from 'commander';
import { dynamoDbClient } from '../src/adapters/dynamodb/dynamodb-settings.js';
import { localSettings } from '../test/support/dynamodb-adapters.js';
import { openDynamoDb } from '../src/adapters/dynamodb/open-dynamodb.js';
import { SystemClock } from '../src/adapters/runtime/system-runtime.js';
import { orderSummaryProjection } from '../src/application/projections/order-summary-projection.js';
import { startDynamoDbLocal } from '../test/support/dynamodb-local.js';
import { appendAll, orderLog } from './workloads/order-log.js';
import { orderSummaryEngine } from './workloads/read-side-engine.js';

const { logEvents } = new Command('dynamodb-scan-floor')
  .option('--log-events <n>', 'events in the table', (value) => {
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed) || parsed < 1) throw new InvalidArgumentError('must be a positive integer');
    return parsed;
  }, 20_000)
  .parse()
  .opts<{ logEvents: number }>();

const SEGMENTS = 4;
const server = await startDynamoDbLocal();
try {
  const settings = localSettings(server);
  const adapters = await openDynamoDb({ settings, clock: new SystemClock() });
  const log = orderLog(logEvents);
  await appendAll(adapters.eventStore, log.commits, 16);
  const client = dynamoDbClient(settings);
  const scanStarted = performance.now();
  let scanned = 0;
  await Promise.all(
    Array.from({ length: SEGMENTS }, async (_, segment) => {
      let start: Record<string, never> | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName: adapters.tables.events, Segment: segment, TotalSegments: SEGMENTS, ConsistentRead: true, ExclusiveStartKey: start }));
        scanned += page.Items?.length ?? 0;
        start = page.LastEvaluatedKey as Record<string, never> | undefined;
      } while (start);
    }),
  );
  const scanRate = scanned / ((performance.now() - scanStarted) / 1_000);
  const engine = orderSummaryEngine({ store: adapters.eventStore, feed: adapters.feed, archive: adapters.archive, checkpoints: adapters.checkpoints, leases: adapters.leases, catalog: adapters.readModels, close: async () => undefined });
  const rebuildStarted = performance.now();
  let scannedAt = 0;
  await engine.rebuild(orderSummaryProjection.name, ({ done }) => {
    if (scannedAt === 0 && done >= logEvents) scannedAt = performance.now();
  });
  const rebuildRate = logEvents / ((performance.now() - rebuildStarted) / 1_000);
  const scanPhaseRate = logEvents / ((scannedAt - rebuildStarted) / 1_000);
  console.log(`${logEvents} events: bare parallel Scan ${Math.round(scanRate)} events/s (${scanned} items), rebuild ${Math.round(rebuildRate)} events/s: ${(rebuildRate / scanRate).toFixed(2)}x`);
  // The rebuild's catch-up then reads the table's stream from where the live generation had got to: from its oldest record here, a projection that never ran.
  console.log(`  of which the scan phase: ${Math.round(scanPhaseRate)} events/s (${(scanPhaseRate / scanRate).toFixed(2)}x), the stream catch-up after it ${((performance.now() - scannedAt) / 1_000).toFixed(1)} s`);
  client.destroy();
  await adapters.close();
} finally {
  await server.stop();
}
