import type { HandlesCommands } from '../../application/commands/command-handler.js';
import type { CustomerCommand, InventoryCommand, OrderCommand, PaymentCommand } from '../../application/commands/commands.js';
import type { GatewayWebhooks } from '../../application/payments/gateway-webhooks.js';
import type { CustomerErasure } from '../../application/privacy/customer-erasure.js';
import type { StoreAudit } from '../../application/audit/store-audit.js';
import type { OrderFulfilmentService } from '../../application/workflows/order-fulfilment-service.js';
import type { ProjectionEngine } from '../../application/projections/projection-engine.js';
import type { ReadModelQueries } from '../../application/queries/read-model-queries.js';
import type { TemporalQueries } from '../../application/temporal/temporal-queries.js';

/** What the HTTP transport needs from the application: use cases and queries, nothing of the stores. */
export interface HttpServices {
  readonly orders: HandlesCommands<OrderCommand>;
  readonly payments: HandlesCommands<PaymentCommand>;
  readonly inventory: HandlesCommands<InventoryCommand>;
  readonly customers: HandlesCommands<CustomerCommand>;
  readonly orderQueries: ReadModelQueries;
  readonly temporal: TemporalQueries;
  readonly projections: Pick<ProjectionEngine, 'status' | 'retry' | 'park' | 'rebuild'>;
  readonly fulfilment: Pick<OrderFulfilmentService, 'view'>;
  /** Where the payment gateway's signed answers are taken in. */
  readonly gatewayWebhooks: GatewayWebhooks;
  /** GDPR erasure of a customer's personal data. */
  readonly erasure: Pick<CustomerErasure, 'erase'>;
  /** The audit chain: an aggregate's stream verified against its hashes (SOX). */
  readonly audit: Pick<StoreAudit, 'verifyStream'>;
}

/** Prometheus text for `/metrics`. */
export interface MetricsExposition {
  exposition(): Promise<{ contentType: string; text: string }>;
}
