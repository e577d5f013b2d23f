import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MetricName, MetricUnit, Metrics } from '../../application/ports/metrics.js';

/** CloudWatch dimension -> Prometheus label. */
const LABELS = {
  AggregateType: 'aggregate_type',
  EventType: 'event_type',
  Projection: 'projection',
  Result: 'result',
  EventBus: 'event_bus',
  Code: 'code',
  Relay: 'relay',
  Consumer: 'consumer',
  Reason: 'reason',
  Workflow: 'workflow',
  Outcome: 'outcome',
  Replica: 'replica',
} as const;
type Dimension = keyof typeof LABELS;

type Instrument =
  | { readonly kind: 'histogram'; readonly name: string; readonly help: string; readonly dimensions: readonly Dimension[]; readonly buckets: readonly number[] }
  | { readonly kind: 'counter'; readonly name: string; readonly help: string; readonly dimensions: readonly Dimension[]; readonly countsSamples?: true }
  | { readonly kind: 'gauge'; readonly name: string; readonly help: string; readonly dimensions: readonly Dimension[] };

const SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Every metric the application records, as Prometheus sees it. Times are exported in seconds (the
 * Prometheus base unit).
 */
const INSTRUMENTS: Readonly<Record<MetricName, Instrument>> = {
  EventProcessingTime: { kind: 'histogram', name: 'es_event_processing_seconds', help: 'Time a projection took to apply one event', dimensions: ['Projection', 'EventType'], buckets: SECONDS },
  EventProcessingResult: { kind: 'counter', name: 'es_event_processing_results_total', help: 'Events applied by projections, by result', dimensions: ['Projection', 'EventType', 'Result'], countsSamples: true },
  AggregateLoadTime: { kind: 'histogram', name: 'es_aggregate_load_seconds', help: 'Time to load an aggregate (snapshot plus events)', dimensions: ['AggregateType'], buckets: SECONDS },
  EventsLoaded: { kind: 'histogram', name: 'es_aggregate_events_loaded', help: 'Events read to load one aggregate', dimensions: ['AggregateType'], buckets: [0, 1, 5, 10, 25, 50, 100, 250, 500, 1000] },
  CommandConflictRetries: { kind: 'counter', name: 'es_command_conflict_retries_total', help: 'Commands retried after a concurrency conflict', dimensions: ['AggregateType'] },
  CommandsFailed: { kind: 'counter', name: 'es_commands_failed_total', help: 'Commands the store failed (unavailable, conflicts past the retries, unexpected errors); refusals by a rule are not counted', dimensions: ['AggregateType', 'Code'] },
  AggregateCacheHits: { kind: 'counter', name: 'es_aggregate_cache_hits_total', help: 'Commands that started from the aggregate cache, reading nothing', dimensions: ['AggregateType'] },
  AggregateCacheMisses: { kind: 'counter', name: 'es_aggregate_cache_misses_total', help: 'Commands whose aggregate the cache did not hold', dimensions: ['AggregateType'] },
  AggregateCacheEvictions: {
    kind: 'counter',
    name: 'es_aggregate_cache_evictions_total',
    help: 'Aggregates the cache let go of: for room (Capacity), or because an append showed them stale (Stale)',
    dimensions: ['AggregateType', 'Reason'],
  },
  SnapshotFailures: { kind: 'counter', name: 'es_snapshot_failures_total', help: 'Snapshots that could not be saved', dimensions: ['AggregateType'] },
  EventsPublished: { kind: 'counter', name: 'es_events_published_total', help: 'Events the event bus accepted', dimensions: ['EventBus'] },
  PublishRetries: { kind: 'counter', name: 'es_publish_retries_total', help: 'Entries sent to the event bus again after a retryable failure', dimensions: ['EventBus'] },
  EventsDeadLettered: { kind: 'counter', name: 'es_events_dead_lettered_total', help: 'Events set aside because the event bus can never take them or their stream misses a version (alert on any)', dimensions: ['EventBus', 'Relay', 'EventType', 'Code'] },
  SubscriptionLag: { kind: 'gauge', name: 'es_consumer_lag_seconds', help: 'Time from commit to handling of the last event a consumer (projection, relay) handled', dimensions: ['Consumer'] },
  SubscriptionLagEvents: { kind: 'gauge', name: 'es_consumer_lag_events', help: 'Committed events a consumer has not handled yet (where the feed can tell)', dimensions: ['Consumer'] },
  SubscriptionRetries: { kind: 'counter', name: 'es_consumer_retries_total', help: 'Runs of a consumer retried after an infrastructure failure (store or bus unavailable, throttled, timing out)', dimensions: ['Consumer'] },
  SubscriptionParked: { kind: 'counter', name: 'es_consumer_stops_total', help: 'Times a consumer stopped at an event: poison, or a hole in its stream (alert on any)', dimensions: ['Consumer', 'Reason'] },
  SubscriptionHoles: { kind: 'counter', name: 'es_consumer_stream_holes_total', help: 'Versions that jumped ahead in the feed, by whether the store filled them (Filled) or lacks them too (Missing)', dimensions: ['Consumer', 'Result'] },
  SubscriptionPositionExpired: { kind: 'counter', name: 'es_consumer_positions_expired_total', help: 'Times a consumer found the feed had trimmed records it had not read, and rebuilt from the store (alert on any)', dimensions: ['Consumer'] },
  LeaseHolderChanges: { kind: 'counter', name: 'es_consumer_lease_takeovers_total', help: 'Times this instance took a consumer lease over (at start, or from an instance that stopped renewing it)', dimensions: ['Consumer'] },
  IteratorAge: { kind: 'gauge', name: 'es_consumer_iterator_age_seconds', help: 'DynamoDB Streams: age of the last record a consumer handled when it last read', dimensions: ['Consumer'] },
  WorkflowsStarted: { kind: 'counter', name: 'es_workflows_started_total', help: 'Workflows started (an order placed)', dimensions: ['Workflow'] },
  WorkflowsFinished: {
    kind: 'counter',
    name: 'es_workflows_finished_total',
    help: 'Workflows finished, by outcome: COMPLETED, COMPENSATED (a step refused, declined or cancelled) or TIMED_OUT',
    dimensions: ['Workflow', 'Outcome'],
  },
  WorkflowsInFlight: { kind: 'gauge', name: 'es_workflows_in_flight', help: 'Workflows started and not finished (each holds one pending deadline)', dimensions: ['Workflow'] },
  WorkflowOldestInFlight: { kind: 'gauge', name: 'es_workflow_oldest_in_flight_seconds', help: 'Age of the oldest workflow still in flight', dimensions: ['Workflow'] },
  WorkflowsPastDeadline: { kind: 'gauge', name: 'es_workflows_past_deadline', help: 'Workflows in flight past their deadline: stuck (alert on any for long)', dimensions: ['Workflow'] },
  DeadLetters: { kind: 'gauge', name: 'es_dead_letters', help: 'Dead letters outstanding (set aside, neither replayed nor discarded): alert above 0', dimensions: [] },
  ReplicaLag: { kind: 'gauge', name: 'es_replica_lag_seconds', help: 'Time from commit in the source to the replica holding the newest event of its last batch', dimensions: ['Replica'] },
  EventsReplicated: { kind: 'counter', name: 'es_events_replicated_total', help: 'Events written to the replica (re-deliveries it already held not counted)', dimensions: ['Replica'] },
  ReplicaStopped: { kind: 'counter', name: 'es_replica_stops_total', help: 'Times the replica stopped at an event it cannot take as it is (alert on any)', dimensions: ['Replica', 'Code'] },
};

type Labels = Record<string, string>;

const recorder = (instrument: Instrument, registry: Registry): ((labels: Labels, amount: number) => void) => {
  const config = { name: instrument.name, help: instrument.help, labelNames: instrument.dimensions.map((d) => LABELS[d]), registers: [registry] };
  switch (instrument.kind) {
    case 'histogram': {
      const histogram = new Histogram({ ...config, buckets: [...instrument.buckets] });
      return (labels, amount) => histogram.observe(labels, amount);
    }
    case 'counter': {
      const counter = new Counter(config);
      // An EventProcessingResult sample is one outcome (the ADR records 1 or 0): count samples, not values.
      return instrument.countsSamples ? (labels) => counter.inc(labels, 1) : (labels, amount) => counter.inc(labels, amount);
    }
    case 'gauge': {
      const gauge = new Gauge(config);
      return (labels, amount) => gauge.set(labels, amount);
    }
  }
};

/** The Metrics port over prom-client, in a registry of its own, served as Prometheus text. */
export class PrometheusMetrics implements Metrics {
  readonly #registry = new Registry();
  readonly #recorders = new Map<MetricName, (labels: Labels, amount: number) => void>();

  constructor() {
    for (const [name, instrument] of Object.entries(INSTRUMENTS) as [MetricName, Instrument][]) this.#recorders.set(name, recorder(instrument, this.#registry));
  }

  record(name: MetricName, value: number, unit: MetricUnit, dimensions: Readonly<Record<string, string>>): void {
    const record = this.#recorders.get(name);
    if (record === undefined) return;
    // A dimension the instrument does not declare is dropped: recording a metric must never fail a command.
    const labels = Object.fromEntries(INSTRUMENTS[name].dimensions.filter((d) => dimensions[d] !== undefined).map((d) => [LABELS[d], dimensions[d] as string]));
    record(labels, unit === 'Milliseconds' ? value / 1000 : value);
  }

  /** The exposition text and its content type. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.#registry.contentType, text: await this.#registry.metrics() };
  }
}
