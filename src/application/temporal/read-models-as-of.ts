import { err, ok, type Result } from 'neverthrow';
import { domainError, type DomainError } from '../../domain/index.js';
import { mapBounded } from '../bounded-map.js';
import { readStreamAsOf } from '../events/stream-as-of.js';
import { QUERY_ERRORS } from '../error-codes.js';
import { streamIdOf, type EventEnvelope } from '../events/envelope.js';
import type { EventStore, StreamReadOptions } from '../ports/event-store.js';
import type { OrderSummary } from '../ports/order-read-model.js';
import type { InventoryLevel, ReadModelCatalog, SupportHistoryEntry } from '../ports/read-models.js';
import { inventoryLevelsProjection } from '../projections/inventory-levels-projection.js';
import { orderSummaryProjection } from '../projections/order-summary-projection.js';
import type { AnyProjection, ProjectionContext } from '../projections/projection.js';
import { supportHistoryProjection } from '../projections/support-history-projection.js';
import { ReadModelQueries, type ReadModelSource } from '../queries/read-model-queries.js';
import type { UpcasterRegistry } from '../upcasting/upcaster-registry.js';

/** The most streams one answer as of a time replays; an answer that needs more is refused, saying so. */
export const MAX_STREAMS_AS_OF = 1_000;

/** How many of those streams are read from the store at once. */
const READS_IN_FLIGHT = 8;

/**
 * What an answer as of a time replays: one projection, over only the streams that answer needs. Events are never
 * deleted, so every stream that existed then exists now: a scope names its streams from the ids it is given or from
 * the live read models (a customer's orders now, the SKUs now), and each is read up to the time asked for.
 * The live read models follow the log within moments, so a stream begun in the last moments before the time asked
 * for may not be named yet.
 */
export interface AsOfScope {
  readonly projection: AnyProjection;
  streams(live: ReadModelSource): Promise<readonly string[]>;
}

const only =
  (streamId: string) =>
  async (): Promise<readonly string[]> => [streamId];

/** The scope of each read-model query that takes a time. */
export const AS_OF_SCOPES = {
  orderDetails: (orderId: string): AsOfScope => ({ projection: orderSummaryProjection, streams: only(streamIdOf('Order', orderId)) }),
  customerOrders: (customerId: string): AsOfScope => ({
    projection: orderSummaryProjection,
    streams: async (live) => (await (await live.orders()).listByCustomer(customerId)).map((order) => streamIdOf('Order', order.orderId)),
  }),
  inventoryLevel: (sku: string): AsOfScope => ({ projection: inventoryLevelsProjection, streams: only(streamIdOf('Inventory', sku)) }),
  inventoryLevels: (): AsOfScope => ({
    projection: inventoryLevelsProjection,
    streams: async (live) => (await (await live.inventory()).list()).map((level) => streamIdOf('Inventory', level.sku)),
  }),
  /** The customer's own stream and every order and payment stream its history names (the projection's links found them). */
  supportHistory: (customerId: string): AsOfScope => ({
    projection: supportHistoryProjection,
    streams: async (live) => [...new Set([streamIdOf('Customer', customerId), ...(await (await live.support()).history(customerId)).map((entry) => entry.streamId)])],
  }),
} as const;

export interface ReadModelsAsOfDeps {
  readonly store: EventStore;
  readonly upcasters: UpcasterRegistry;
  /** The live read models, where scopes find the streams that exist now. */
  readonly live: ReadModelSource;
  /** A fresh, empty catalog per answer, to replay into. */
  readonly scratchCatalog: () => ReadModelCatalog;
}

const GENERATION = 'as-of';

/**
 * Read models as they stood at a past time: the streams an answer needs (its scope), read up to that time and folded
 * by the projection's own `apply` into a scratch catalog, then asked by the same queries as the live read models.
 * The work is bounded by the streams named, never by the log.
 */
export class ReadModelsAsOf {
  constructor(
    private readonly deps: ReadModelsAsOfDeps,
    private readonly maxStreams = MAX_STREAMS_AS_OF,
  ) {}

  orderDetails(orderId: string, asOf: string): Promise<Result<OrderSummary, DomainError>> {
    return this.answer(AS_OF_SCOPES.orderDetails(orderId), asOf, (queries) => queries.orderDetails(orderId));
  }

  customerOrders(customerId: string, asOf: string): Promise<Result<OrderSummary[], DomainError>> {
    return this.answer(AS_OF_SCOPES.customerOrders(customerId), asOf, async (queries) => ok(await queries.customerOrders(customerId)));
  }

  inventoryLevel(sku: string, asOf: string): Promise<Result<InventoryLevel, DomainError>> {
    return this.answer(AS_OF_SCOPES.inventoryLevel(sku), asOf, (queries) => queries.inventoryLevel(sku));
  }

  inventoryLevels(asOf: string): Promise<Result<InventoryLevel[], DomainError>> {
    return this.answer(AS_OF_SCOPES.inventoryLevels(), asOf, async (queries) => ok(await queries.inventoryLevels()));
  }

  supportHistory(customerId: string, asOf: string): Promise<Result<SupportHistoryEntry[], DomainError>> {
    return this.answer(AS_OF_SCOPES.supportHistory(customerId), asOf, async (queries) => ok(await queries.supportHistory(customerId)));
  }

  /** Replays the scope's streams up to `asOf` into a scratch catalog, then asks the ordinary queries of it. */
  private async answer<T>(scope: AsOfScope, asOf: string, ask: (queries: ReadModelQueries) => Promise<Result<T, DomainError>>): Promise<Result<T, DomainError>> {
    const streamIds = await scope.streams(this.deps.live);
    if (streamIds.length > this.maxStreams) {
      const message = `this answer as of a time would replay ${streamIds.length} streams; at most ${this.maxStreams} are replayed per request: ask for something narrower, or without asOf`;
      return err(domainError(QUERY_ERRORS.AS_OF_TOO_BROAD, message, { streams: streamIds.length, limit: this.maxStreams }));
    }
    const catalog = this.deps.scratchCatalog();
    await this.replay(scope.projection, scope.projection.readModel(catalog, GENERATION), streamIds, asOf);
    return ask(
      new ReadModelQueries({
        orders: async () => catalog.orders(GENERATION),
        inventory: async () => catalog.inventory(GENERATION),
        support: async () => catalog.support(GENERATION),
      }),
    );
  }

  private async replay(projection: AnyProjection, readModel: unknown, streamIds: readonly string[], asOf: string): Promise<void> {
    const context: ProjectionContext = { readStream: (streamId, options) => this.read(streamId, asOf, options) };
    const streams = await mapBounded(streamIds, READS_IN_FLIGHT, (streamId) => this.read(streamId, asOf));
    for (const event of inLogOrder(streams)) {
      if (projection.handles.has(event.type)) await projection.apply(readModel, event, context);
    }
  }

  private async read(streamId: string, asOf: string, options: Omit<StreamReadOptions, 'until'> = {}): Promise<EventEnvelope[]> {
    return (await readStreamAsOf(this.deps.store, streamId, asOf, options)).map((event) => this.deps.upcasters.upcast(event));
  }
}

/**
 * The streams' events in commit order where the store has one (as a replay of the whole log would apply them); where
 * it has none (DynamoDB), stream after stream, each in version order, as its archive hands them over.
 */
const inLogOrder = (streams: readonly EventEnvelope[][]): EventEnvelope[] => {
  const events = streams.flat();
  return events.every((event) => event.globalPosition !== null) ? events.sort((a, b) => (a.globalPosition ?? 0) - (b.globalPosition ?? 0)) : events;
};
