import type { MetricName, MetricUnit, Metrics } from '../../application/ports/metrics.js';

export interface MetricSample {
  readonly name: MetricName;
  readonly value: number;
  readonly unit: MetricUnit;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** Keeps the most recent samples in a ring, so that a long-running process does not grow without bound. */
export class InMemoryMetrics implements Metrics {
  readonly #samples: MetricSample[] = [];

  constructor(private readonly capacity = 10_000) {}

  record(name: MetricName, value: number, unit: MetricUnit, dimensions: Readonly<Record<string, string>>): void {
    this.#samples.push({ name, value, unit, dimensions: { ...dimensions } });
    if (this.#samples.length > this.capacity) this.#samples.shift();
  }

  samples(name?: MetricName): MetricSample[] {
    return this.#samples.filter((sample) => name === undefined || sample.name === name);
  }
}
