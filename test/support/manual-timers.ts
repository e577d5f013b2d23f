import type { FixedClock } from '../../src/adapters/runtime/system-runtime.js';
import type { Timers } from '../../src/adapters/gateway/simulated-gateway.js';

interface Entry {
  readonly due: number;
  readonly task: () => void;
}

/** Lets the promises a task started settle (a delivery, its failure handler). */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Timers that fire only when the test moves time on, moving the clock along with them. */
export class ManualTimers implements Timers {
  #now = 0;
  readonly #entries = new Set<Entry>();

  constructor(private readonly clock?: FixedClock) {}

  after(delayMs: number, task: () => void): () => void {
    const entry = { due: this.#now + delayMs, task };
    this.#entries.add(entry);
    return () => this.#entries.delete(entry);
  }

  get pending(): number {
    return this.#entries.size;
  }

  /** Moves time on by `ms`, running what falls due in due order and letting what each task started settle. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      await settle();
      const next = [...this.#entries].filter((entry) => entry.due <= target).sort((a, b) => a.due - b.due)[0];
      if (next === undefined) break;
      this.#entries.delete(next);
      this.#move(next.due);
      next.task();
    }
    this.#move(target);
    await settle();
  }

  #move(to: number): void {
    this.clock?.advance(to - this.#now);
    this.#now = to;
  }
}
