/** A point in time by which a workflow instance expects something to have happened (a payment, a reply). */
export interface Deadline {
  /** Unique and deterministic (e.g. `order-fulfilment:o-1:payment`): scheduling the same id twice keeps one deadline. */
  readonly id: string;
  /** Which workflow it belongs to, e.g. 'order-fulfilment'. */
  readonly workflow: string;
  /** The workflow instance, e.g. the order id. */
  readonly key: string;
  /** ISO 8601 instant; adapters hand it back in the canonical UTC form (`2025-01-01T00:00:00.000Z`). */
  readonly dueAt: string;
  /**
   * When the workflow instance this deadline belongs to started (ISO), for the age of the oldest workflow in flight.
   * Kept as given, in the canonical UTC form like dueAt; absent when the scheduler of the deadline did not say.
   */
  readonly since?: string;
}

/** What is in flight for one workflow (see DeadlineScheduler.summary). */
export interface DeadlineSummary {
  /** Pending deadlines of the workflow, held or not. */
  readonly pending: number;
  /** Those of them due before `now` (held or not), by the rule of `overdue`. */
  readonly overdue: number;
  /** The earliest `since` among the pending ones (canonical UTC form); null when none has one. */
  readonly oldestSince: string | null;
}

/**
 * Durable deadlines, kept in the store so that they outlive the process that scheduled them. Time always
 * comes in as an argument (`now`), never from the adapter's own clock, so that tests move a clock and
 * instances agree on what is due. Pollers' clocks must agree to within much less than a hold: a poller whose
 * clock runs ahead sees another's hold run out early. Infrastructure failures throw errors marked transient
 * (see TransientFailure) where waiting may help.
 */
export interface DeadlineScheduler {
  /** Idempotent by id: an existing deadline with this id is left as it is (its dueAt is not moved). */
  schedule(deadline: Deadline): Promise<void>;
  /** Idempotent: cancelling an unknown or finished id does nothing. */
  cancel(id: string): Promise<void>;
  /**
   * Takes up to `limit` deadlines due at `now` (dueAt <= now) that nobody holds, oldest first, and holds them for
   * `owner` until `now + holdMs` so that a concurrent poller (another instance) skips them. A holder that dies
   * releases them by letting the hold run out. Two pollers racing never both take the same deadline.
   * `holdMs` must be positive: a hold that ends at `now` would hold nothing.
   */
  claimDue(now: string, limit: number, owner: string, holdMs: number): Promise<readonly Deadline[]>;
  /** Removes a deadline once it fired (idempotent). */
  complete(id: string): Promise<void>;
  /** Pending deadlines of one workflow instance (for GET /orders/{id}/fulfilment), oldest first. */
  pendingFor(workflow: string, key: string): Promise<readonly Deadline[]>;
  /** Deadlines due before `now` still pending (held or not), oldest first: workflows past their deadline, for `cli workflows stuck` and a metric. */
  overdue(now: string, limit: number): Promise<readonly Deadline[]>;
  /** How many deadlines of one workflow are pending and overdue at `now`, and since when its oldest pending instance runs: for metrics. */
  summary(workflow: string, now: string): Promise<DeadlineSummary>;
}

/** The canonical form every adapter stores and returns: fixed width, so instants sort as text. Throws on an invalid instant (a bug). */
export const canonicalInstant = (instant: string): string => {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO 8601 instant: ${JSON.stringify(instant)}`);
  return new Date(ms).toISOString();
};

/** The end of a hold taken at `now`; refuses a hold that would not outlast `now` (a bug in the caller). */
export const holdUntil = (now: string, holdMs: number): string => {
  if (!(holdMs > 0) || !Number.isFinite(holdMs)) throw new RangeError(`a hold must last a positive, finite time, not ${holdMs} ms`);
  return new Date(Date.parse(canonicalInstant(now)) + holdMs).toISOString();
};

/** Oldest first, by id among equals: the order claimDue, pendingFor and overdue answer in on every adapter. */
export const deadlineOrder = (a: Deadline, b: Deadline): number => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
