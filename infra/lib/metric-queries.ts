import { Duration } from 'aws-cdk-lib';
import { MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import type { MetricName } from '../../src/application/ports/metrics.js';
import { EMF_NAMESPACE } from '../../src/adapters/metrics/emf-metrics.js';

/**
 * The service's metrics as CloudWatch queries. Each metric carries dimensions whose values are only known at run time
 * (consumer names, event types, aggregate types), and CloudWatch keys a metric by its whole dimension set: so alarms
 * read one Metrics Insights query over every set (an alarm can, and it needs no list of names), and the dashboard
 * draws SEARCH expressions, which give a line per set and percentiles.
 */

/** The dimension sets each metric is recorded with (grep `.record(` under src/). */
export const DIMENSIONS = {
  EventProcessingTime: ['EventType', 'Projection'],
  EventProcessingResult: ['EventType', 'Projection', 'Result'],
  AggregateLoadTime: ['AggregateType'],
  EventsLoaded: ['AggregateType'],
  CommandConflictRetries: ['AggregateType'],
  CommandsFailed: ['AggregateType', 'Code'],
  SubscriptionLag: ['Consumer'],
  EventsPublished: ['EventBus'],
  PublishRetries: ['EventBus'],
  WorkflowsInFlight: ['Workflow'],
  WorkflowsPastDeadline: ['Workflow'],
  DeadLetters: [],
  ReplicaLag: ['Replica'],
  ReplicaStopped: ['Replica', 'Code'],
} as const satisfies Partial<Record<MetricName, readonly string[]>>;

const MINUTE = Duration.minutes(1);

/** A Metrics Insights query of one series: `statistic` of `name` over every dimension set, or over one schema's. */
export const insights = (
  label: string,
  statistic: 'MAX' | 'SUM' | 'COUNT' | 'AVG',
  name: MetricName,
  options: { readonly dimensions?: readonly string[]; readonly where?: string } = {},
): MathExpression => {
  const from = options.dimensions ? `SCHEMA("${EMF_NAMESPACE}", ${options.dimensions.join(', ')})` : `"${EMF_NAMESPACE}"`;
  return new MathExpression({ expression: `SELECT ${statistic}(${name}) FROM ${from}${options.where ? ` WHERE ${options.where}` : ''}`, label, period: MINUTE });
};

/** A line per dimension set of `name`, for a graph. */
export const search = (name: keyof typeof DIMENSIONS, statistic: string, label: string, filter = ''): MathExpression =>
  new MathExpression({
    expression: `SEARCH('{${[EMF_NAMESPACE, ...DIMENSIONS[name]].join(',')}} MetricName="${name}"${filter}', '${statistic}', 60)`,
    label,
    period: MINUTE,
  });
