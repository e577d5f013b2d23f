import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, MathExpression, Stats, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { insights } from './metric-queries.js';
import { COMMAND_MAX_RECEIVES } from './service-transports.js';

/** The issue's bar for projection lag. */
export const PROJECTION_LAG_ALARM_MS = 5_000;

/** How far the disaster-recovery replica may fall behind before someone is told. */
export const REPLICA_LAG_ALARM_MS = 60_000;

export interface OperationalAlarmsProps {
  readonly consumer: IFunction;
  readonly deadlines: IFunction;
  readonly failures: IQueue;
  /** The command queue's dead-letter queue. */
  readonly commandDeadLetters: IQueue;
  /** Each table with the names of its global secondary indexes, whose throttles count too. */
  readonly tables: readonly { readonly id: string; readonly table: Table; readonly indexes: readonly string[] }[];
  readonly iteratorAgeAlarmMs: number;
  readonly alarmEmail: string | null;
}

interface AlarmSpec {
  readonly id: string;
  readonly description: string;
  readonly metric: IMetric;
  readonly threshold: number;
  /** Consecutive one-minute periods over the threshold before it fires. */
  readonly periods: number;
}

/**
 * What pages someone: consumers falling behind, events given up on, events a projection could not apply, and a table
 * refusing requests. Missing data is not breaching: a quiet system records nothing.
 */
export class OperationalAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: OperationalAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'es-core alarms' });
    if (props.alarmEmail !== null) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const minute = { period: Duration.minutes(1) };
    const specs: AlarmSpec[] = [
      {
        id: 'ProjectionLag',
        description: `A consumer (projection, workflow, relay) is more than ${PROJECTION_LAG_ALARM_MS / 1000} s behind the log (SubscriptionLag: the in-process consumers and the stream Lambda, per batch)`,
        metric: insights('Largest SubscriptionLag (ms)', 'MAX', 'SubscriptionLag', { dimensions: ['Consumer'] }),
        threshold: PROJECTION_LAG_ALARM_MS,
        periods: 2,
      },
      {
        id: 'StreamIteratorAge',
        description: `The stream consumer Lambda is more than ${props.iteratorAgeAlarmMs / 1000} s behind the event table's stream (records expire after 24 h)`,
        metric: props.consumer.metric('IteratorAge', { statistic: Stats.MAXIMUM, ...minute }),
        threshold: props.iteratorAgeAlarmMs,
        periods: 2,
      },
      {
        id: 'EventsDeadLettered',
        description: 'The relay gave events up (EventsDeadLettered): they are in the dead-letter table, unpublished, until an operator acts',
        metric: insights('Events dead-lettered', 'SUM', 'EventsDeadLettered'),
        threshold: 0,
        periods: 1,
      },
      {
        id: 'DeadLettersOutstanding',
        description: 'Dead letters are waiting for an operator (DeadLetters, the gauge the service and the deadline function record): replay or discard them',
        metric: insights('Dead letters outstanding', 'MAX', 'DeadLetters'),
        threshold: 0,
        periods: 1,
      },
      {
        id: 'ReplicaLag',
        description: `The PostgreSQL replica is more than ${REPLICA_LAG_ALARM_MS / 1000} s behind DynamoDB (ReplicaLag): a fail-over now would lose more than that`,
        metric: insights('Largest ReplicaLag (ms)', 'MAX', 'ReplicaLag', { dimensions: ['Replica'] }),
        threshold: REPLICA_LAG_ALARM_MS,
        periods: 2,
      },
      {
        id: 'ReplicaStopped',
        description: 'The PostgreSQL replica stopped at an event it cannot take (ReplicaStopped): fix the cause, then `cli replica retry`',
        metric: insights('Replica stops', 'SUM', 'ReplicaStopped'),
        threshold: 0,
        periods: 1,
      },
      {
        id: 'StreamBatchesFailed',
        description: 'The stream mapping gave a batch up after its retries: its description is on the failure queue; the records must be replayed',
        metric: props.failures.metricApproximateNumberOfMessagesVisible({ statistic: Stats.MAXIMUM, ...minute }),
        threshold: 0,
        periods: 1,
      },
      {
        id: 'CommandsDeadLettered',
        description: `Commands from the SQS queue were tried ${COMMAND_MAX_RECEIVES} times without an answer and sit on its dead-letter queue: fix the cause, then redrive them`,
        metric: props.commandDeadLetters.metricApproximateNumberOfMessagesVisible({ statistic: Stats.MAXIMUM, ...minute }),
        threshold: 0,
        periods: 1,
      },
      {
        // The ADR records a failure as EventProcessingResult 0 with Result=Failure: the count of those values, not their sum.
        id: 'EventProcessingFailures',
        description: 'Events a projection failed to apply (EventProcessingResult with Result=Failure): the consumer stops at the event until it is retried or parked',
        metric: insights('Events failed', 'COUNT', 'EventProcessingResult', { dimensions: ['EventType', 'Projection', 'Result'], where: "Result = 'Failure'" }),
        threshold: 0,
        periods: 1,
      },
      {
        id: 'CommandsFailed',
        description: 'Commands the store failed (CommandsFailed: unavailable, conflicts past the retries, unexpected errors), not those a rule refused',
        metric: insights('Commands failed', 'SUM', 'CommandsFailed'),
        threshold: 0,
        periods: 1,
      },
      {
        id: 'DeadlineRunsFailing',
        description: 'The deadline function failed three minutes running: workflow deadlines are not being fired',
        metric: props.deadlines.metricErrors(minute),
        threshold: 0,
        periods: 3,
      },
      ...props.tables.map(({ id: table, ...throttled }) => ({
        id: `Throttles${table}`,
        description: `DynamoDB throttled requests to the ${table} table or one of its indexes`,
        metric: throttles(throttled.table, throttled.indexes),
        threshold: 0,
        periods: 1,
      })),
    ];
    this.alarms = specs.map((spec) => {
      const alarm = new Alarm(this, spec.id, {
        alarmDescription: spec.description,
        metric: spec.metric,
        threshold: spec.threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: spec.periods,
        datapointsToAlarm: spec.periods,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new SnsAction(this.topic));
      alarm.addOkAction(new SnsAction(this.topic));
      return alarm;
    });
  }
}

/** Read and write throttle events of a table and each of its indexes, summed (an index's throttles slow the table's writes). */
const throttles = (table: Table, indexes: readonly string[]): MathExpression => {
  const usingMetrics: Record<string, IMetric> = {};
  const sets: Record<string, string>[] = [{}, ...indexes.map((GlobalSecondaryIndexName) => ({ GlobalSecondaryIndexName }))];
  sets.forEach((dimensions, i) => {
    for (const [kind, name] of [['r', 'ReadThrottleEvents'], ['w', 'WriteThrottleEvents']] as const) {
      usingMetrics[`${kind}${i}`] = table.metric(name, { statistic: Stats.SUM, period: Duration.minutes(1), dimensionsMap: { TableName: table.tableName, ...dimensions } });
    }
  });
  // DynamoDB reports throttle events only when there are some: a plain `a + b` would be empty unless both were present.
  const sum = `SUM([${Object.keys(usingMetrics).map((key) => `FILL(${key}, 0)`).join(', ')}])`;
  return new MathExpression({ expression: sum, usingMetrics, label: 'Throttled requests', period: Duration.minutes(1) });
};
