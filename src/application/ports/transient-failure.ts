/**
 * Infrastructure that may work when tried again (a store unreachable, throttled, timing out, a bus
 * unavailable) says so with `transient: true` on the error it throws; adapters translate their drivers'
 * errors at the edge. A consumer retries such a failure for as long as it lasts and never counts it
 * against the event it was handling: only a failure while the store is healthy can make an event poison.
 */
export interface TransientFailure {
  readonly transient: true;
}

export const isTransient = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as Partial<TransientFailure>).transient === true;
