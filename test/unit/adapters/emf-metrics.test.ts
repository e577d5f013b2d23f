import { describe, expect, it } from 'vitest';
import { EmfMetrics } from '../../../src/adapters/metrics/emf-metrics.js';
import { metricsOutputs } from '../../../src/main/metrics-output.js';

interface EmfDocument {
  readonly _aws: { readonly Timestamp: number; readonly CloudWatchMetrics: readonly { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  readonly [key: string]: unknown;
}

const capture = () => {
  const lines: string[] = [];
  return { lines, sink: (line: string) => lines.push(line), documents: () => lines.map((line) => JSON.parse(line) as EmfDocument) };
};

const PROJECTION = { Projection: 'order-summary', EventType: 'OrderPlaced' };

/** The ADR's four metrics, recorded as the projection consumer and the repository record them. */
const recordTheAdrMetrics = (metrics: { record: EmfMetrics['record'] }): void => {
  metrics.record('EventProcessingTime', 12.5, 'Milliseconds', PROJECTION);
  metrics.record('EventProcessingResult', 1, 'Count', { ...PROJECTION, Result: 'Success' });
  metrics.record('AggregateLoadTime', 3.25, 'Milliseconds', { AggregateType: 'Order' });
  metrics.record('EventsLoaded', 7, 'Count', { AggregateType: 'Order' });
};

const documentHolding = (documents: readonly EmfDocument[], name: string): EmfDocument => {
  const found = documents.find((document) => document._aws.CloudWatchMetrics[0]?.Metrics.some((metric) => metric.Name === name));
  if (found === undefined) throw new Error(`no EMF document holds ${name}`);
  return found;
};

describe('EmfMetrics', () => {
  it("writes the ADR's metrics as EMF in namespace EventSourcing, one document per dimension set", () => {
    const out = capture();
    const metrics = new EmfMetrics({ sink: out.sink });
    recordTheAdrMetrics(metrics);
    expect(out.lines).toEqual([]);
    metrics.flush();

    const documents = out.documents();
    expect(documents).toHaveLength(3);
    for (const document of documents) {
      expect(document._aws.CloudWatchMetrics).toHaveLength(1);
      expect(document._aws.CloudWatchMetrics[0]?.Namespace).toBe('EventSourcing');
      expect(typeof document._aws.Timestamp).toBe('number');
    }

    const time = documentHolding(documents, 'EventProcessingTime');
    expect(time._aws.CloudWatchMetrics[0]?.Metrics).toEqual([{ Name: 'EventProcessingTime', Unit: 'Milliseconds' }]);
    expect(time._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['EventType', 'Projection']]);
    expect(time).toMatchObject({ EventType: 'OrderPlaced', Projection: 'order-summary', EventProcessingTime: 12.5 });

    const result = documentHolding(documents, 'EventProcessingResult');
    expect(result._aws.CloudWatchMetrics[0]?.Metrics).toEqual([{ Name: 'EventProcessingResult', Unit: 'Count' }]);
    expect(result._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['EventType', 'Projection', 'Result']]);
    expect(result).toMatchObject({ EventType: 'OrderPlaced', Projection: 'order-summary', Result: 'Success', EventProcessingResult: 1 });

    const load = documentHolding(documents, 'AggregateLoadTime');
    expect(load).toBe(documentHolding(documents, 'EventsLoaded'));
    expect(load._aws.CloudWatchMetrics[0]?.Metrics).toEqual([
      { Name: 'AggregateLoadTime', Unit: 'Milliseconds' },
      { Name: 'EventsLoaded', Unit: 'Count' },
    ]);
    expect(load._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['AggregateType']]);
    expect(load).toMatchObject({ AggregateType: 'Order', AggregateLoadTime: 3.25, EventsLoaded: 7 });
    // No `service` dimension of Powertools' own: the dimension sets are the ADR's.
    expect(load).not.toHaveProperty('service');
  });

  it('keeps every value of a metric, splits past 99 values, and writes nothing once flushed', () => {
    const out = capture();
    const metrics = new EmfMetrics({ sink: out.sink });
    for (let i = 0; i < 150; i += 1) metrics.record('EventsLoaded', i, 'Count', { AggregateType: 'Order' });
    metrics.record('EventsLoaded', Number.NaN, 'Count', { AggregateType: 'Order' });
    metrics.flush();
    metrics.flush();

    const values = out.documents().map((document) => document.EventsLoaded as number[]);
    expect(values.map((v) => v.length)).toEqual([99, 51]);
    expect(values.flat()).toEqual(Array.from({ length: 150 }, (_, i) => i));
  });

  it('flushes on close', () => {
    const out = capture();
    const metrics = new EmfMetrics({ sink: out.sink });
    metrics.start(60_000);
    metrics.record('EventsLoaded', 2, 'Count', { AggregateType: 'Payment' });
    metrics.close();
    expect(out.documents()).toMatchObject([{ AggregateType: 'Payment', EventsLoaded: 2 }]);
  });
});

describe('METRICS', () => {
  it('both: every sample reaches the EMF lines and the Prometheus exposition', async () => {
    const out = capture();
    const outputs = metricsOutputs('both', out.sink);
    recordTheAdrMetrics(outputs.metrics);
    outputs.flush();

    expect(out.documents().flatMap((document) => document._aws.CloudWatchMetrics[0]?.Metrics.map((metric) => metric.Name))).toEqual(
      expect.arrayContaining(['EventProcessingTime', 'EventProcessingResult', 'AggregateLoadTime', 'EventsLoaded']),
    );
    const { text } = await outputs.exposition.exposition();
    expect(text).toContain('es_aggregate_load_seconds_count{aggregate_type="Order"} 1');
    expect(text).toContain('es_event_processing_results_total{projection="order-summary",event_type="OrderPlaced",result="Success"} 1');
  });

  it('emf: nothing for Prometheus; prometheus: no EMF lines', async () => {
    const emf = capture();
    const emfOnly = metricsOutputs('emf', emf.sink);
    recordTheAdrMetrics(emfOnly.metrics);
    emfOnly.close();
    expect(emf.lines).toHaveLength(3);
    expect((await emfOnly.exposition.exposition()).text).toBe('');

    const prometheus = capture();
    const prometheusOnly = metricsOutputs('prometheus', prometheus.sink);
    recordTheAdrMetrics(prometheusOnly.metrics);
    prometheusOnly.close();
    expect(prometheus.lines).toEqual([]);
    expect((await prometheusOnly.exposition.exposition()).text).toContain('es_aggregate_events_loaded_count{aggregate_type="Order"} 1');
  });
});
