import { RandomUuids, SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import { orderSummaryProjection } from '../../src/application/projections/order-summary-projection.js';
import { engineOptions, ProjectionEngine } from '../../src/application/projections/projection-engine.js';
import type { ReadModelCatalog } from '../../src/application/ports/read-models.js';
import { GlobalLogArchive, GlobalLogFeed } from '../../src/application/subscriptions/global-log-feed.js';
import { domainUpcasters } from '../../src/application/upcasting/domain-upcasters.js';
import { discardMetrics } from '../discard-metrics.js';
import type { ReadSideTarget } from './workload.js';

/**
 * The order summary projection over a fresh read side, wired as the service wires it. Given a catalog of its
 * own (one that observes writes), batches are applied through it, outside the store's transactions.
 */
export const orderSummaryEngine = (readSide: ReadSideTarget, catalog?: ReadModelCatalog): ProjectionEngine =>
  new ProjectionEngine(
    {
      store: readSide.store,
      feed: new GlobalLogFeed(readSide.log),
      archive: new GlobalLogArchive(readSide.log),
      leases: readSide.leases,
      checkpoints: readSide.checkpoints,
      catalog: catalog ?? readSide.catalog,
      ...(readSide.transactions === undefined || catalog !== undefined ? {} : { transactions: readSide.transactions }),
      upcasters: domainUpcasters(),
      metrics: discardMetrics,
      clock: new SystemClock(),
      ids: new RandomUuids(),
    },
    [orderSummaryProjection],
    engineOptions('bench'),
  );
