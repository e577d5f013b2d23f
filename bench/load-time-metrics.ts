import type { MetricName, MetricUnit, Metrics } from '../src/application/ports/metrics.js';

/** Keeps every aggregate load time the repository records, by aggregate type, and totals every count; drops the rest. */
export class LoadTimeMetrics implements Metrics {
  readonly loadTimes = new Map<string, number[]>();
  /** Each Count metric's total by name (conflict retries, cache hits and misses ...). */
  readonly counts = new Map<string, number>();

  record(name: MetricName, value: number, unit: MetricUnit, dimensions: Readonly<Record<string, string>>): void {
    if (unit === 'Count') this.counts.set(name, (this.counts.get(name) ?? 0) + value);
    if (name !== 'AggregateLoadTime') return;
    const type = dimensions.AggregateType ?? 'unknown';
    const times = this.loadTimes.get(type);
    if (times === undefined) this.loadTimes.set(type, [value]);
    else times.push(value);
  }

  count(name: string): number {
    return this.counts.get(name) ?? 0;
  }

  /** Every load time recorded, whatever the aggregate. */
  all(): number[] {
    return [...this.loadTimes.values()].flat();
  }
}
