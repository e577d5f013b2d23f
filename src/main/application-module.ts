import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ContainerModule, type ServiceIdentifier } from 'inversify';
import { CommandExecutor, IDEMPOTENCY_LEASE_MS } from '../application/commands/command-executor.js';
import { CommandHandler, type CommandHandlerDeps } from '../application/commands/command-handler.js';
import { CustomerErasure } from '../application/privacy/customer-erasure.js';
import { customerBinding, inventoryBinding, orderBinding, paymentBinding } from '../application/commands/decider-bindings.js';
import { inventoryLevelsProjection } from '../application/projections/inventory-levels-projection.js';
import { orderSummaryProjection } from '../application/projections/order-summary-projection.js';
import { engineOptions, ProjectionEngine } from '../application/projections/projection-engine.js';
import { SharedFeedReads } from '../application/subscriptions/shared-feed-reads.js';
import { supportHistoryProjection } from '../application/projections/support-history-projection.js';
import { ReadModelQueries, type ReadModelSource } from '../application/queries/read-model-queries.js';
import { ReadModelsAsOf } from '../application/temporal/read-models-as-of.js';
import { TemporalQueries } from '../application/temporal/temporal-queries.js';
import { InMemoryReadModelCatalog } from '../adapters/memory/in-memory-read-models.js';
import { AggregateCache } from '../application/repository/aggregate-cache.js';
import { AggregateRepository } from '../application/repository/aggregate-repository.js';
import { SnapshotPolicy } from '../application/repository/snapshot-policy.js';
import { domainUpcasters } from '../application/upcasting/domain-upcasters.js';
import type { AppConfig } from './config.js';
import { TOKENS } from './tokens.js';

/** Every read model the service keeps. */
export const PROJECTIONS = [orderSummaryProjection, inventoryLevelsProjection, supportHistoryProjection] as const;

/** The live generation of each read model (a rebuild may switch it). */
const liveReadModels = (engine: ProjectionEngine): ReadModelSource => ({
  orders: () => engine.readModel(orderSummaryProjection),
  inventory: () => engine.readModel(inventoryLevelsProjection),
  support: () => engine.readModel(supportHistoryProjection),
});

/** The use cases, the same in every environment: built from whatever ports the environment bound. */
export const applicationModule = (config: AppConfig): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(TOKENS.Config).toConstantValue(config);
    bind(TOKENS.Upcasters).toConstantValue(domainUpcasters());
    bind(TOKENS.SnapshotPolicy).toConstantValue(new SnapshotPolicy(config.snapshotEvery));
    bind(TOKENS.Repository)
      .toDynamicValue(
        ({ get }) =>
          new AggregateRepository({
            eventStore: get(TOKENS.EventStore),
            snapshots: get(TOKENS.SnapshotStore),
            upcasters: get(TOKENS.Upcasters),
            policy: get(TOKENS.SnapshotPolicy),
            metrics: get(TOKENS.Metrics),
            clock: get(TOKENS.Clock),
            cache: config.aggregateCacheSize > 0 ? new AggregateCache(config.aggregateCacheSize, get(TOKENS.Metrics)) : null,
          }),
      )
      .inSingletonScope();
    bind(TOKENS.Executor)
      .toDynamicValue(
        ({ get }) =>
          new CommandExecutor(get(TOKENS.Repository), get(TOKENS.IdempotencyStore), get(TOKENS.Metrics), get(TOKENS.Clock), undefined, {
            leaseMs: IDEMPOTENCY_LEASE_MS,
            retentionMs: config.idempotencyRetentionMs,
          }),
      )
      .inSingletonScope();
    // One generic handler per aggregate, each from its decider binding.
    const handlerDeps = (get: <T>(token: ServiceIdentifier<T>) => T): CommandHandlerDeps => ({
      executor: get(TOKENS.Executor),
      repository: get(TOKENS.Repository),
      clock: get(TOKENS.Clock),
      ids: get(TOKENS.Ids),
      tracing: get(TOKENS.Tracing),
      metrics: get(TOKENS.Metrics),
    });
    bind(TOKENS.OrderCommands)
      .toDynamicValue(({ get }) => CommandHandler.of(orderBinding(), handlerDeps(get)))
      .inSingletonScope();
    bind(TOKENS.PaymentCommands)
      .toDynamicValue(({ get }) => CommandHandler.of(paymentBinding(), handlerDeps(get)))
      .inSingletonScope();
    bind(TOKENS.InventoryCommands)
      .toDynamicValue(({ get }) => CommandHandler.of(inventoryBinding(), handlerDeps(get)))
      .inSingletonScope();
    bind(TOKENS.CustomerCommands)
      .toDynamicValue(({ get }) => CommandHandler.of(customerBinding(), handlerDeps(get)))
      .inSingletonScope();
    bind(TOKENS.Erasure)
      .toDynamicValue(
        ({ get }) =>
          new CustomerErasure({ customers: get(TOKENS.CustomerCommands), repository: get(TOKENS.Repository), keys: get(TOKENS.DataKeys), codec: get(TOKENS.PersonalData), clock: get(TOKENS.Clock) }),
      )
      .inSingletonScope();
    bind(TOKENS.ScratchCatalog).toConstantValue(() => new InMemoryReadModelCatalog());
    bind(TOKENS.Owner).toConstantValue(`${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`);
    bind(TOKENS.Projections)
      .toDynamicValue(
        ({ get }) =>
          new ProjectionEngine(
            {
              store: get(TOKENS.EventStore),
              feed: new SharedFeedReads(get(TOKENS.CommittedEventFeed)),
              archive: get(TOKENS.EventArchive),
              leases: get(TOKENS.LeaseStore),
              checkpoints: get(TOKENS.CheckpointStore),
              catalog: get(TOKENS.ReadModelCatalog),
              transactions: get(TOKENS.ProjectionTransactions, { optional: true }),
              upcasters: get(TOKENS.Upcasters),
              metrics: get(TOKENS.Metrics),
              clock: get(TOKENS.Clock),
              logger: get(TOKENS.Logger),
              tracing: get(TOKENS.Tracing),
              ids: get(TOKENS.Ids),
            },
            PROJECTIONS,
            engineOptions(get(TOKENS.Owner), {
              subscription: { leaseTtlMs: config.leaseTtlMs },
              // In memory there is one instance, so no reader elsewhere needs the retired generation a moment longer.
              ...(config.store === 'memory' ? { retireAfterMs: 0 } : {}),
            }),
          ),
      )
      .inSingletonScope();
    bind(TOKENS.Queries)
      .toDynamicValue(({ get }) => new ReadModelQueries(liveReadModels(get(TOKENS.Projections))))
      .inSingletonScope();
    bind(TOKENS.Temporal)
      .toDynamicValue(
        ({ get }) =>
          new TemporalQueries(
            get(TOKENS.Repository),
            get(TOKENS.EventStore),
            get(TOKENS.Upcasters),
            new ReadModelsAsOf({
              store: get(TOKENS.EventStore),
              upcasters: get(TOKENS.Upcasters),
              live: liveReadModels(get(TOKENS.Projections)),
              scratchCatalog: get(TOKENS.ScratchCatalog),
            }),
          ),
      )
      .inSingletonScope();
  });
