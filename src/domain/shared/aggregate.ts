import { err, ok, type Result } from 'neverthrow';
import { domainError, type CodeOf, type DomainError } from './domain-error.js';
import type { DomainEvent } from './domain-event.js';

/**
 * Corrupt or mismatched history: never the caller's doing, so a transport answers them as unexpected errors.
 */
export const AGGREGATE_ERRORS = {
  UNKNOWN_EVENT_TYPE: 'AGGREGATE.UNKNOWN_EVENT_TYPE',
  VERSION_GAP: 'AGGREGATE.VERSION_GAP',
  SNAPSHOT_MISMATCH: 'AGGREGATE.SNAPSHOT_MISMATCH',
  SNAPSHOT_SCHEMA_CHANGED: 'AGGREGATE.SNAPSHOT_SCHEMA_CHANGED',
} as const;
export type AggregateErrorCode = CodeOf<typeof AGGREGATE_ERRORS>;

/**
 * The pure rules of one aggregate type: its initial state, how each event evolves it, and the event types it
 * knows. Beside it, a decider `decide<Aggregate>(command, state) => Result<events>` over a command union.
 */
export interface AggregateDefinition<S, E extends DomainEvent> {
  readonly type: string;
  /** Bumped whenever the shape of `S` changes; snapshots of another schema are ignored. */
  readonly stateSchemaVersion: number;
  readonly eventTypes: ReadonlySet<string>;
  initialState(): S;
  evolve(state: S, event: E): S;
}

/** An event read back from history, already upcast to the current schema. */
export interface HistoricEvent {
  readonly type: string;
  readonly data: unknown;
  readonly occurredAt: string;
  readonly version: number;
}

export interface AggregateSnapshot<S> {
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly version: number;
  readonly stateSchemaVersion: number;
  readonly state: S;
  readonly createdAt: string | null;
  readonly lastModifiedAt: string | null;
}

/** The ADR's aggregate: id, version, uncommitted events, apply, raise, history, snapshots. */
export class Aggregate<S, E extends DomainEvent> {
  #state: S;
  #version = 0;
  #uncommitted: E[] = [];
  #createdAt: string | null = null;
  #lastModifiedAt: string | null = null;

  constructor(
    readonly definition: AggregateDefinition<S, E>,
    readonly id: string,
  ) {
    this.#state = definition.initialState();
  }

  get state(): S {
    return this.#state;
  }
  get version(): number {
    return this.#version;
  }
  /** The version the store holds: what an append of the uncommitted events must expect. */
  get persistedVersion(): number {
    return this.#version - this.#uncommitted.length;
  }
  get uncommittedEvents(): readonly E[] {
    return this.#uncommitted;
  }
  get createdAt(): string | null {
    return this.#createdAt;
  }
  get lastModifiedAt(): string | null {
    return this.#lastModifiedAt;
  }

  /** Runs a command against the current state and raises what it decided. */
  execute<C extends string>(decide: (state: S) => Result<readonly E[], DomainError<C>>): Result<readonly E[], DomainError<C>> {
    return decide(this.#state).map((events) => {
      for (const event of events) this.raise(event);
      return events;
    });
  }

  raise(event: E): void {
    this.apply(event);
    this.#uncommitted.push(event);
  }

  loadFromHistory(events: Iterable<HistoricEvent>): Result<this, DomainError<AggregateErrorCode>> {
    for (const event of events) {
      if (!this.definition.eventTypes.has(event.type)) {
        return err(
          domainError(AGGREGATE_ERRORS.UNKNOWN_EVENT_TYPE, `${this.definition.type} ${this.id} does not know event type ${event.type} (version ${event.version})`, {
            eventType: event.type,
            version: event.version,
          }),
        );
      }
      if (event.version !== this.#version + 1) {
        return err(
          domainError(AGGREGATE_ERRORS.VERSION_GAP, `${this.definition.type} ${this.id} expected version ${this.#version + 1} but history has ${event.version}`, {
            expected: this.#version + 1,
            actual: event.version,
          }),
        );
      }
      this.apply(event as unknown as E);
    }
    return ok(this);
  }

  markCommitted(): void {
    this.#uncommitted = [];
  }

  createSnapshot(): AggregateSnapshot<S> {
    return {
      aggregateType: this.definition.type,
      aggregateId: this.id,
      version: this.#version,
      stateSchemaVersion: this.definition.stateSchemaVersion,
      state: structuredClone(this.#state),
      createdAt: this.#createdAt,
      lastModifiedAt: this.#lastModifiedAt,
    };
  }

  /** Restores from a snapshot; refuses one taken under another state schema or of another aggregate. */
  loadFromSnapshot(snapshot: AggregateSnapshot<unknown>): Result<this, DomainError<AggregateErrorCode>> {
    if (snapshot.aggregateType !== this.definition.type || snapshot.aggregateId !== this.id) {
      return err(domainError(AGGREGATE_ERRORS.SNAPSHOT_MISMATCH, `snapshot of ${snapshot.aggregateType} ${snapshot.aggregateId} cannot load ${this.definition.type} ${this.id}`));
    }
    if (snapshot.stateSchemaVersion !== this.definition.stateSchemaVersion) {
      return err(
        domainError(AGGREGATE_ERRORS.SNAPSHOT_SCHEMA_CHANGED, `snapshot schema ${snapshot.stateSchemaVersion} is not the current ${this.definition.stateSchemaVersion}`),
      );
    }
    this.#state = structuredClone(snapshot.state) as S;
    this.#version = snapshot.version;
    this.#createdAt = snapshot.createdAt;
    this.#lastModifiedAt = snapshot.lastModifiedAt;
    this.#uncommitted = [];
    return ok(this);
  }

  private apply(event: E): void {
    this.#state = this.definition.evolve(this.#state, event);
    this.#version += 1;
    this.#lastModifiedAt = event.occurredAt;
    this.#createdAt ??= event.occurredAt;
  }
}
