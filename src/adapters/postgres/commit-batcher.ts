export interface BatcherOptions {
  /** Batches in flight at once; appends arriving meanwhile queue up and leave together. */
  readonly concurrency: number;
  /** A batch closes once it holds this many events (a single larger commit still goes alone). */
  readonly maxEvents: number;
}

interface Queued<C, R> {
  readonly commit: C;
  readonly size: number;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: while `concurrency` batches are on their way to the database, new commits wait and
 * then travel together, one round trip and one transaction for many. An idle store sends a commit
 * on the next turn of the event loop; a busy one pays one round trip and one fsync per batch.
 */
export class CommitBatcher<C, R> {
  readonly #queue: Queued<C, R>[] = [];
  #inFlight = 0;
  #pumpScheduled = false;

  constructor(
    /** One outcome per commit, in order; a rejection fails every commit of the batch. */
    private readonly send: (commits: readonly C[]) => Promise<readonly PromiseSettledResult<R>[]>,
    private readonly options: BatcherOptions,
  ) {}

  submit(commit: C, size: number): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ commit, size, resolve, reject });
      this.#schedulePump();
    });
  }

  /**
   * Sends on the next turn of the event loop rather than at once: callers woken by one batch's
   * results submit their next commits in the same turn, and they should leave together, not as a
   * batch of one followed by a batch of the rest.
   */
  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#inFlight < this.options.concurrency && this.#queue.length > 0) {
      // All that waits leaves together: splitting it over the free slots measured slower (more
      // transactions, each paying its commit) than one batch, here on two cores.
      const batch = this.#take(this.options.maxEvents);
      this.#inFlight += 1;
      this.send(batch.map((queued) => queued.commit))
        .then(
          (outcomes) =>
            batch.forEach((queued, index) => {
              const outcome = outcomes[index];
              if (outcome?.status === 'fulfilled') queued.resolve(outcome.value);
              else queued.reject(outcome === undefined ? new Error('the batch returned no outcome for a commit') : outcome.reason);
            }),
          (error: unknown) => batch.forEach((queued) => queued.reject(error)),
        )
        .finally(() => {
          this.#inFlight -= 1;
          this.#schedulePump();
        });
    }
  }

  /** The oldest commits, up to `events` events; at least one, however large. */
  #take(events: number): Queued<C, R>[] {
    const batch = [this.#queue.shift() as Queued<C, R>];
    let taken = batch[0]?.size ?? 0;
    while (this.#queue.length > 0 && taken + (this.#queue[0]?.size ?? 0) <= events) {
      const next = this.#queue.shift() as Queued<C, R>;
      taken += next.size;
      batch.push(next);
    }
    return batch;
  }
}
