export interface Clock {
  /** Now, as an ISO 8601 instant in UTC. */
  now(): string;
}

export interface IdGenerator {
  /** A new UUID. */
  next(): string;
}
