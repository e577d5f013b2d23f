import { inventoryLevelsProjection } from '../../application/projections/inventory-levels-projection.js';
import { orderSummaryProjection } from '../../application/projections/order-summary-projection.js';
import type { ProjectionDefinition } from '../../application/projections/projection.js';
import { supportHistoryProjection } from '../../application/projections/support-history-projection.js';
import { ReadModelQueries } from '../../application/queries/read-model-queries.js';
import type { TemporalQueries } from '../../application/temporal/temporal-queries.js';
import { RefusedError } from './error-responses.js';
import type { HttpServices } from './http-services.js';
import { toInstant } from './schemas.js';

const replayed = async <RM>(temporal: TemporalQueries, projection: ProjectionDefinition<RM>, asOf: string): Promise<RM> => {
  const model = await temporal.readModelAsOf(projection, toInstant(asOf));
  if (model.isErr()) throw new RefusedError(model.error);
  return model.value;
};

/**
 * The application's read-model queries: over the live read models, or, given `asOf`, over read models
 * rebuilt by replaying the log up to that time (only the one a query asks for is replayed).
 */
export const queriesAt = (services: HttpServices, asOf: string | undefined): ReadModelQueries =>
  asOf === undefined
    ? services.orderQueries
    : new ReadModelQueries({
        orders: () => replayed(services.temporal, orderSummaryProjection, asOf),
        inventory: () => replayed(services.temporal, inventoryLevelsProjection, asOf),
        support: () => replayed(services.temporal, supportHistoryProjection, asOf),
      });
