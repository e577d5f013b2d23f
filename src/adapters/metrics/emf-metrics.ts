import { Metrics as Powertools, MetricUnit as Units } from '@aws-lambda-powertools/metrics';
import type { MetricName, MetricUnit, Metrics } from '../../application/ports/metrics.js';

/** The ADR's CloudWatch namespace. */
export const EMF_NAMESPACE = 'EventSourcing';

/** Where EMF documents go: one JSON document a line. */
export type EmfSink = (line: string) => void;

const stdout: EmfSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/** Powertools publishes by itself when a metric reaches 100 values (MAX_METRIC_VALUES_SIZE), bypassing the sink: flush one value earlier. */
const MAX_VALUES = 99;

const UNITS: Readonly<Record<MetricUnit, (typeof Units)[keyof typeof Units]>> = { Milliseconds: Units.Milliseconds, Count: Units.Count };

interface Document {
  readonly metrics: Powertools;
  readonly values: Map<MetricName, number>;
}

/**
 * The Metrics port as CloudWatch Embedded Metric Format log lines, built by Powertools. Every metric in an EMF
 * document shares the document's dimensions, and the ADR's metrics each carry their own; so each distinct
 * dimension set gets a document of its own, flushed together.
 */
export class EmfMetrics implements Metrics {
  readonly #documents = new Map<string, Document>();
  readonly #sink: EmfSink;
  readonly #namespace: string;
  #timer: NodeJS.Timeout | null = null;

  constructor(options: { readonly sink?: EmfSink; readonly namespace?: string } = {}) {
    this.#sink = options.sink ?? stdout;
    this.#namespace = options.namespace ?? EMF_NAMESPACE;
  }

  record(name: MetricName, value: number, unit: MetricUnit, dimensions: Readonly<Record<string, string>>): void {
    // Powertools throws on a value it cannot serialise: recording a metric must never fail a command.
    if (!Number.isFinite(value)) return;
    const document = this.#document(dimensions);
    const count = document.values.get(name) ?? 0;
    if (count >= MAX_VALUES) this.#publish(document);
    document.metrics.addMetric(name, UNITS[unit], value);
    document.values.set(name, (document.values.get(name) ?? 0) + 1);
  }

  /** Writes every document holding values, and empties them. */
  flush(): void {
    for (const document of this.#documents.values()) if (document.values.size > 0) this.#publish(document);
  }

  /** Flushes every `intervalMs` until closed: a long-running service's metrics reach CloudWatch within it. */
  start(intervalMs = 1_000): void {
    if (this.#timer !== null) return;
    this.#timer = setInterval(() => this.flush(), intervalMs);
    // The interval alone must not keep a process alive that has nothing else to do.
    this.#timer.unref();
  }

  close(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.flush();
  }

  #document(dimensions: Readonly<Record<string, string>>): Document {
    const entries = Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b));
    const key = JSON.stringify(entries);
    let document = this.#documents.get(key);
    if (document === undefined) {
      const metrics = new Powertools({ namespace: this.#namespace });
      // Powertools adds a `service` dimension by default; the ADR's dimension sets are exactly what is recorded.
      metrics.clearDefaultDimensions();
      if (entries.length > 0) metrics.setDefaultDimensions(Object.fromEntries(entries));
      document = { metrics, values: new Map() };
      this.#documents.set(key, document);
    }
    return document;
  }

  // serializeMetrics rather than publishStoredMetrics: the latter writes to Powertools' own console, not the sink.
  #publish(document: Document): void {
    const line = JSON.stringify(document.metrics.serializeMetrics());
    document.metrics.clearMetrics();
    document.values.clear();
    this.#sink(line);
  }
}
