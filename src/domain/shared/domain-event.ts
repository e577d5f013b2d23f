/**
 * An event as the domain sees it: a fact with a type, its data and the time it happened.
 * Envelope fields (ids, versions, positions, metadata) belong to the application.
 */
export interface DomainEvent<T extends string = string, D = unknown> {
  readonly type: T;
  readonly data: D;
  readonly occurredAt: string;
}

/** What the domain is told about "now": time arrives as data, never read from a clock here. */
export interface Now {
  readonly now: string;
}
