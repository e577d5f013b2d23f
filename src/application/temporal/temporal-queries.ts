import { err, ok, type Result } from 'neverthrow';
import { Customer, domainError, Inventory, Order, Payment, type AggregateDefinition, type DomainError, type DomainEvent } from '../../domain/index.js';
import { streamIdOf, type EventEnvelope } from '../events/envelope.js';
import type { EventStore } from '../ports/event-store.js';
import type { AggregateRepository, LoadTarget } from '../repository/aggregate-repository.js';
import type { UpcasterRegistry } from '../upcasting/upcaster-registry.js';
import { QUERY_ERRORS } from '../error-codes.js';
import type { ReadModelsAsOf } from './read-models-as-of.js';

/** The aggregate types a caller may name, by their lower-case name. */
export const AGGREGATES: Readonly<Record<string, AggregateDefinition<unknown, DomainEvent>>> = {
  order: Order as AggregateDefinition<unknown, DomainEvent>,
  payment: Payment as AggregateDefinition<unknown, DomainEvent>,
  inventory: Inventory as AggregateDefinition<unknown, DomainEvent>,
  customer: Customer as AggregateDefinition<unknown, DomainEvent>,
};

export interface AggregateView {
  readonly type: string;
  readonly id: string;
  readonly version: number;
  readonly createdAt: string | null;
  readonly lastModifiedAt: string | null;
  readonly state: unknown;
}

export interface AuditPage {
  readonly streamId: string;
  readonly events: readonly EventEnvelope[];
  /** Pass as `afterVersion` for the next page; null on the last page. */
  readonly nextAfterVersion: number | null;
}

export class TemporalQueries {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly store: EventStore,
    private readonly upcasters: UpcasterRegistry,
    /** Read models as of a time, replaying only the streams each answer needs. */
    readonly readModels: ReadModelsAsOf,
  ) {}

  /** Any aggregate as of a version or a time; the present when neither is given. */
  async aggregateAsOf(type: string, id: string, target: LoadTarget = {}): Promise<Result<AggregateView, DomainError>> {
    const definition = AGGREGATES[type.toLowerCase()];
    if (!definition) return err(domainError(QUERY_ERRORS.UNKNOWN_AGGREGATE_TYPE, `unknown aggregate type ${type}; known: ${Object.keys(AGGREGATES).join(', ')}`));
    const loaded = await this.repository.load(definition, id, target);
    if (loaded.isErr()) return err(loaded.error);
    const aggregate = loaded.value;
    if (aggregate.version === 0) {
      return err(domainError(`${definition.type.toUpperCase()}.NOT_FOUND`, `${definition.type} ${id} has no events${target.asOf || target.asOfVersion ? ' at that point' : ''}`));
    }
    return ok({ type: definition.type, id, version: aggregate.version, createdAt: aggregate.createdAt, lastModifiedAt: aggregate.lastModifiedAt, state: aggregate.state });
  }

  /** A stream's events with who, when and why, upcast to the current schema, a page at a time. */
  async auditTrail(type: string, id: string, afterVersion = 0, limit = 100): Promise<Result<AuditPage, DomainError>> {
    const definition = AGGREGATES[type.toLowerCase()];
    if (!definition) return err(domainError(QUERY_ERRORS.UNKNOWN_AGGREGATE_TYPE, `unknown aggregate type ${type}; known: ${Object.keys(AGGREGATES).join(', ')}`));
    const streamId = streamIdOf(definition.type, id);
    const events = await this.store.readStream(streamId, { fromVersion: afterVersion + 1, toVersion: afterVersion + limit + 1 });
    if (events.length === 0 && afterVersion === 0) return err(domainError(`${definition.type.toUpperCase()}.NOT_FOUND`, `${definition.type} ${id} has no events`));
    const page = events.slice(0, limit).map((event) => this.upcasters.upcast(event));
    return ok({ streamId, events: page, nextAfterVersion: events.length > limit ? (page.at(-1)?.version ?? null) : null });
  }
}
