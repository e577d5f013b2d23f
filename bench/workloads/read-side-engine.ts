import { RandomUuids, SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import { orderSummaryProjection } from '../../src/application/projections/order-summary-projection.js';
import { engineOptions, ProjectionEngine } from '../../src/application/projections/projection-engine.js';
import { domainUpcasters } from '../../src/application/upcasting/domain-upcasters.js';
import { discardMetrics } from '../discard-metrics.js';
import { WatchedCatalog, WatchedTransactions, type RowsWritten } from './watched-read-side.js';
import type { ReadSideTarget } from './workload.js';
import { SILENT_LOGGER } from '../../src/adapters/logs/silent-logger.js';

/**
 * The order summary projection over a fresh read side, wired as the service wires it; `written` hears of each
 * row once a reader can see it (at its batch's commit where the store has transactions).
 */
export const orderSummaryEngine = (readSide: ReadSideTarget, written?: RowsWritten): ProjectionEngine =>
  new ProjectionEngine(
    {
      store: readSide.store,
      feed: readSide.feed,
      archive: readSide.archive,
      leases: readSide.leases,
      checkpoints: readSide.checkpoints,
      catalog: written === undefined ? readSide.catalog : new WatchedCatalog(readSide.catalog, written),
      ...(readSide.transactions === undefined ? {} : { transactions: written === undefined ? readSide.transactions : new WatchedTransactions(readSide.transactions, written) }),
      upcasters: domainUpcasters(),
      metrics: discardMetrics,
      clock: new SystemClock(),
      logger: SILENT_LOGGER,
      ids: new RandomUuids(),
    },
    [orderSummaryProjection],
    // Nothing serves the old generation in a bench: a rebuild retires it at once rather than after the usual grace.
    engineOptions('bench', { retireAfterMs: 0 }),
  );
