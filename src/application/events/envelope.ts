/** Who and why: flows from the transport into every event a command appends. */
export interface EventMetadata {
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly actor: string;
  readonly [extra: string]: unknown;
}

/** An event the application hands to the store, which assigns its id (see EventEnvelope.eventId). */
export interface NewEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  readonly occurredAt: string;
}

/** An event as stored: what was appended plus what the store assigned. */
export interface EventEnvelope extends NewEvent {
  /** A time-ordered UUID (v7) minted by the store's writer: unique by construction, so no store checks it. */
  readonly eventId: string;
  readonly streamId: string;
  /** 1, 2, 3 ... contiguous per stream. */
  readonly version: number;
  readonly recordedAt: string;
  /** Commit order across all streams, where the store has one (null where it has none, as in DynamoDB). */
  readonly globalPosition: number | null;
  /**
   * The audit chain (issue 11, SOX): the hash this event chains from (its predecessor's `hash`, 32 zero bytes
   * for version 1) and SHA-256(previousHash ‖ canonical bytes), both hex. Every store fills them; they are
   * optional only so that events built by hand (tests, upcasts handed on) need not invent them.
   */
  readonly previousHash?: string;
  readonly hash?: string;
  /** Set only where an upcast event is handed on (the relay's detail): the schema version it is stored with, for auditors. */
  readonly storedSchemaVersion?: number;
}

/** Streams are named `<AggregateType>-<id>`. */
export const streamIdOf = (aggregateType: string, aggregateId: string): string => `${aggregateType}-${aggregateId}`;
