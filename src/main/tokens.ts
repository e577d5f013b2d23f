import type { AggregateRepository } from '../application/repository/aggregate-repository.js';
import type { CommandExecutor } from '../application/commands/command-executor.js';
import type {
  CustomerCommandHandler,
  InventoryCommandHandler,
  OrderCommandHandler,
  PaymentCommandHandler,
} from '../application/commands/decider-bindings.js';
import type { CheckpointStore } from '../application/ports/checkpoint-store.js';
import type { CommittedEventFeed } from '../application/ports/committed-event-feed.js';
import type { DeadLetterStore } from '../application/ports/dead-letter-sink.js';
import type { DeadlineScheduler } from '../application/ports/deadline-scheduler.js';
import type { EventArchive } from '../application/ports/event-archive.js';
import type { EventImport } from '../application/ports/event-import.js';
import type { EventStore } from '../application/ports/event-store.js';
import type { LeaseStore } from '../application/ports/lease-store.js';
import type { Logger } from '../application/ports/logger.js';
import type { IdempotencyStore } from '../application/ports/idempotency-store.js';
import type { Metrics } from '../application/ports/metrics.js';
import type { Tracing } from '../application/ports/tracing.js';
import type { TraceExport } from './trace-export.js';
import type { ProjectionTransactions } from '../application/ports/projection-transactions.js';
import type { ReadModelCatalog } from '../application/ports/read-models.js';
import type { Clock, IdGenerator } from '../application/ports/runtime.js';
import type { SnapshotStore } from '../application/ports/snapshot-store.js';
import type { ProjectionEngine } from '../application/projections/projection-engine.js';
import type { ReadModelQueries } from '../application/queries/read-model-queries.js';
import type { TemporalQueries } from '../application/temporal/temporal-queries.js';
import type { SnapshotPolicy } from '../application/repository/snapshot-policy.js';
import type { UpcasterRegistry } from '../application/upcasting/upcaster-registry.js';
import type { ServiceIdentifier } from 'inversify';
import type { GatewayWebhooks } from '../application/payments/gateway-webhooks.js';
import type { PaymentGateway } from '../application/ports/payment-gateway.js';
import type { OrderFulfilmentService } from '../application/workflows/order-fulfilment-service.js';
import type { WebhookRoute } from './workflow-module.js';

import type { DataKeyStore } from '../application/ports/data-key-store.js';
import type { CustomerErasure } from '../application/privacy/customer-erasure.js';
import type { PersonalDataCodec } from '../application/privacy/personal-data-codec.js';
import type { AppConfig } from './config.js';
import type { StoreAudit } from '../application/audit/store-audit.js';

const token = <T>(name: string): ServiceIdentifier<T> => Symbol.for(`es-core.${name}`);

/** Every binding's identifier; bindings themselves live only in the modules of this folder. */
export const TOKENS = {
  Config: token<AppConfig>('Config'),
  Clock: token<Clock>('Clock'),
  Ids: token<IdGenerator>('Ids'),
  Metrics: token<Metrics>('Metrics'),
  /** Spans of commands, the relay and the consumers, and the SDK exporting them (off unless OTEL_EXPORTER_OTLP_* is set). */
  TraceExport: token<TraceExport>('TraceExport'),
  Tracing: token<Tracing>('Tracing'),
  /** Structured lines about events and consumers: silent until an entry point binds JSON lines (log-output.ts). */
  Logger: token<Logger>('Logger'),
  EventStore: token<EventStore>('EventStore'),
  EventArchive: token<EventArchive>('EventArchive'),
  /** The event store as it holds events, personal fields sealed: what the audit chain hashes and verification reads. */
  SealedEventStore: token<EventStore>('SealedEventStore'),
  /** Every stored event as held, sealed: what verification walks (the chain is over ciphertext). */
  SealedEventArchive: token<EventArchive>('SealedEventArchive'),
  /** The audit chain's verification and anchors (SOX). */
  Audit: token<StoreAudit>('Audit'),
  /** Data subjects' wrapped data keys (GDPR). */
  DataKeys: token<DataKeyStore>('DataKeys'),
  /** Seals personal fields for the store and opens them for every reader. */
  PersonalData: token<PersonalDataCodec>('PersonalData'),
  /** GDPR erasure of a customer (crypto-shredding). */
  Erasure: token<CustomerErasure>('Erasure'),
  LeaseStore: token<LeaseStore>('LeaseStore'),
  DeadLetterStore: token<DeadLetterStore>('DeadLetterStore'),
  /** Workflows' durable deadlines, in the environment's store. */
  DeadlineScheduler: token<DeadlineScheduler>('DeadlineScheduler'),
  /** This instance, as the owner of the leases it takes: unique per process. */
  Owner: token<string>('Owner'),
  SnapshotStore: token<SnapshotStore>('SnapshotStore'),
  IdempotencyStore: token<IdempotencyStore>('IdempotencyStore'),
  CheckpointStore: token<CheckpointStore>('CheckpointStore'),
  ReadModelCatalog: token<ReadModelCatalog>('ReadModelCatalog'),
  ProjectionTransactions: token<ProjectionTransactions>('ProjectionTransactions'),
  /** Makes throw-away read models for replays (read models as of a past time). */
  ScratchCatalog: token<() => ReadModelCatalog>('ScratchCatalog'),
  /** The committed-event feed as the store holds events, sealed: what the replica copies. */
  SealedCommittedEventFeed: token<CommittedEventFeed>('SealedCommittedEventFeed'),
  /** The store's import path (events carried over with their ids and hashes): DR's import; the raw, sealed adapter. */
  EventImport: token<EventImport>('EventImport'),
  /** Committed events for every consumer: the global log, or DynamoDB Streams. */
  CommittedEventFeed: token<CommittedEventFeed>('CommittedEventFeed'),
  Upcasters: token<UpcasterRegistry>('Upcasters'),
  SnapshotPolicy: token<SnapshotPolicy>('SnapshotPolicy'),
  Repository: token<AggregateRepository>('Repository'),
  Executor: token<CommandExecutor>('Executor'),
  OrderCommands: token<OrderCommandHandler>('OrderCommands'),
  PaymentCommands: token<PaymentCommandHandler>('PaymentCommands'),
  InventoryCommands: token<InventoryCommandHandler>('InventoryCommands'),
  CustomerCommands: token<CustomerCommandHandler>('CustomerCommands'),
  Projections: token<ProjectionEngine>('Projections'),
  Queries: token<ReadModelQueries>('Queries'),
  Temporal: token<TemporalQueries>('Temporal'),
  /** The simulated gateway by default (the only adapter there is); `drain` and `close` for tests and shutdown. */
  PaymentGateway: token<PaymentGateway & { drain(): Promise<void>; close(): Promise<void> }>('PaymentGateway'),
  GatewayWebhooks: token<GatewayWebhooks>('GatewayWebhooks'),
  /** Where the gateway's webhooks go: in process, or over HTTP once the service listens. */
  WebhookRoute: token<WebhookRoute>('WebhookRoute'),
  Fulfilment: token<OrderFulfilmentService>('Fulfilment'),
  /** Releases whatever the environment opened (pools, files, locks). */
  Closer: token<() => Promise<void>>('Closer'),
};
