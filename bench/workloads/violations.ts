import { BenchFailure } from './workload.js';

/** What a reconciliation found wrong, counted by kind with a few examples each; `throwIfAny` fails the row with all of it. */
export class Violations {
  readonly #found = new Map<string, { count: number; examples: string[] }>();

  add(kind: string, example: string): void {
    const found = this.#found.get(kind) ?? { count: 0, examples: [] };
    found.count += 1;
    if (found.examples.length < 3) found.examples.push(example);
    this.#found.set(kind, found);
  }

  get size(): number {
    return this.#found.size;
  }

  throwIfAny(what: string): void {
    if (this.#found.size === 0) return;
    const lines = [...this.#found.entries()].map(([kind, { count, examples }]) => `${count} ${kind} (e.g. ${examples.join('; ')})`);
    throw new BenchFailure(`${what}: ${lines.join(' | ')}`);
  }
}
