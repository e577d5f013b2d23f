import type { MetricName, MetricUnit, Metrics } from '../../application/ports/metrics.js';

/** Records every sample into each of several adapters (METRICS=both: CloudWatch EMF and Prometheus). */
export class CompositeMetrics implements Metrics {
  constructor(private readonly targets: readonly Metrics[]) {}

  record(name: MetricName, value: number, unit: MetricUnit, dimensions: Readonly<Record<string, string>>): void {
    for (const target of this.targets) target.record(name, value, unit, dimensions);
  }
}
