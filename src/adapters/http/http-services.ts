import type { CustomerCommandHandlers } from '../../application/commands/customer-command-handlers.js';
import type { InventoryCommandHandlers } from '../../application/commands/inventory-command-handlers.js';
import type { OrderCommandHandlers } from '../../application/commands/order-command-handlers.js';
import type { PaymentCommandHandlers } from '../../application/commands/payment-command-handlers.js';
import type { ProjectionEngine } from '../../application/projections/projection-engine.js';
import type { ReadModelQueries } from '../../application/queries/read-model-queries.js';
import type { TemporalQueries } from '../../application/temporal/temporal-queries.js';

/** What the HTTP transport needs from the application: use cases and queries, nothing of the stores. */
export interface HttpServices {
  readonly orders: OrderCommandHandlers;
  readonly payments: PaymentCommandHandlers;
  readonly inventory: InventoryCommandHandlers;
  readonly customers: CustomerCommandHandlers;
  readonly orderQueries: ReadModelQueries;
  readonly temporal: TemporalQueries;
  readonly projections: Pick<ProjectionEngine, 'status' | 'retry' | 'park' | 'rebuild'>;
}

/** Prometheus text for `/metrics`. */
export interface MetricsExposition {
  exposition(): Promise<{ contentType: string; text: string }>;
}
