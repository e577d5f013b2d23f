import type { Result } from 'neverthrow';
import type { DomainError } from '../../domain/index.js';
import type { ReadModelQueries } from '../../application/queries/read-model-queries.js';
import { RefusedError } from './error-responses.js';
import type { HttpServices } from './http-services.js';
import { toInstant } from './schemas.js';

/** The read-model queries a route asks. */
export type ReadSide = Pick<ReadModelQueries, 'orderDetails' | 'customerOrders' | 'inventoryLevel' | 'inventoryLevels' | 'supportHistory'>;

/** A refusal met by a list query as of a time (too many streams to replay), carried out to the error handler. */
const refusing = async <T>(answer: Promise<Result<T, DomainError>>): Promise<T> => {
  const result = await answer;
  if (result.isErr()) throw new RefusedError(result.error);
  return result.value;
};

/**
 * The application's read-model queries: over the live read models, or, given `asOf`, over read models rebuilt by
 * replaying, up to that time, only the streams the query needs (at most a bounded number per request).
 */
export const queriesAt = (services: HttpServices, asOf: string | undefined): ReadSide => {
  if (asOf === undefined) return services.orderQueries;
  const at = toInstant(asOf);
  const readModels = services.temporal.readModels;
  return {
    orderDetails: (orderId) => readModels.orderDetails(orderId, at),
    customerOrders: (customerId) => refusing(readModels.customerOrders(customerId, at)),
    inventoryLevel: (sku) => readModels.inventoryLevel(sku, at),
    inventoryLevels: () => refusing(readModels.inventoryLevels(at)),
    supportHistory: (customerId) => refusing(readModels.supportHistory(customerId, at)),
  };
};
