import type { MetricsExposition } from '../adapters/http/http-services.js';
import { CompositeMetrics } from '../adapters/metrics/composite-metrics.js';
import { EmfMetrics, type EmfSink } from '../adapters/metrics/emf-metrics.js';
import { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics.js';
import type { Metrics } from '../application/ports/metrics.js';
import type { MetricsOutput } from './config.js';

/** The metrics adapter METRICS chose, what `/metrics` serves, and the EMF lines' flushing. */
export interface MetricsOutputs {
  readonly metrics: Metrics;
  readonly exposition: MetricsExposition;
  /** Flushes EMF lines every `intervalMs` until closed (a long-running service). */
  start(intervalMs?: number): void;
  /** Writes the EMF lines held now (the end of a Lambda invocation). */
  flush(): void;
  close(): void;
}

/** With METRICS=emf nothing is recorded for Prometheus: `/metrics` answers, empty, rather than 404 a scraper left configured. */
const NO_EXPOSITION: MetricsExposition = { exposition: async () => ({ contentType: 'text/plain; version=0.0.4; charset=utf-8', text: '' }) };

export const metricsOutputs = (output: MetricsOutput, sink?: EmfSink): MetricsOutputs => {
  const emf = output === 'prometheus' ? null : new EmfMetrics({ sink });
  const prometheus = output === 'emf' ? null : new PrometheusMetrics();
  const targets = [emf, prometheus].filter((target) => target !== null);
  const [only, ...others] = targets;
  const metrics: Metrics = only !== undefined && others.length === 0 ? only : new CompositeMetrics(targets);
  return {
    metrics,
    exposition: prometheus ?? NO_EXPOSITION,
    start: (intervalMs) => emf?.start(intervalMs),
    flush: () => emf?.flush(),
    close: () => emf?.close(),
  };
};
