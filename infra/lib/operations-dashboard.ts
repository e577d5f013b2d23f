import { Duration } from 'aws-cdk-lib';
import { AlarmStatusWidget, Dashboard, GraphWidget, Stats, TextWidget, type Alarm, type HorizontalAnnotation, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PROJECTION_LAG_ALARM_MS } from './alarms.js';
import { insights, search } from './metric-queries.js';

export interface OperationsDashboardProps {
  readonly dashboardName: string;
  readonly consumer: IFunction;
  readonly failures: IQueue;
  readonly alarms: readonly Alarm[];
}

const graph = (title: string, left: IMetric[], leftAnnotations: HorizontalAnnotation[] = []): GraphWidget => new GraphWidget({ title, left, leftAnnotations, width: 12, height: 6 });

/** The ADR's four metrics first (p95 where it sets its bars), then lag, dead letters, publishing, workflows and the alarms. */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const minute = { period: Duration.minutes(1) };
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
      widgets: [
        [new TextWidget({ markdown: '# Event sourcing\nThe ADR\'s metrics (namespace `EventSourcing`), one line per dimension set; alarms at the bottom.', width: 24, height: 2 })],
        [
          graph('EventProcessingTime p95 (ms) by projection and event type', [search('EventProcessingTime', 'p95', 'p95')]),
          graph('EventProcessingResult: applied and failed', [
            search('EventProcessingResult', 'Sum', 'applied', ' Result="Success"'),
            // A failure is recorded as the value 0: counted, not summed.
            search('EventProcessingResult', 'SampleCount', 'failed', ' Result="Failure"'),
          ]),
        ],
        [
          graph('AggregateLoadTime p95 (ms) by aggregate type (ADR bar: 100 ms)', [search('AggregateLoadTime', 'p95', 'p95')], [{ value: 100, label: 'ADR bar' }]),
          graph('EventsLoaded per load, p95, by aggregate type', [search('EventsLoaded', 'p95', 'p95')]),
        ],
        [
          graph('SubscriptionLag (ms) by consumer', [search('SubscriptionLag', 'Maximum', 'lag')], [{ value: PROJECTION_LAG_ALARM_MS, label: 'alarm' }]),
          graph('Stream consumer Lambda: iterator age (ms), errors', [
            props.consumer.metric('IteratorAge', { statistic: Stats.MAXIMUM, ...minute }),
            props.consumer.metricErrors(minute),
          ]),
        ],
        [
          graph('Dead letters: events given up, batches given up', [
            insights('EventsDeadLettered', 'SUM', 'EventsDeadLettered'),
            props.failures.metricApproximateNumberOfMessagesVisible({ statistic: Stats.MAXIMUM, ...minute }),
          ]),
          graph('Publishing to EventBridge', [search('EventsPublished', 'Sum', 'published'), search('PublishRetries', 'Sum', 'retried')]),
        ],
        [
          graph('Commands: conflict retries, and failed by the store', [search('CommandConflictRetries', 'Sum', 'retries'), search('CommandsFailed', 'Sum', 'failed')]),
          graph('Dead letters outstanding', [search('DeadLetters', 'Maximum', 'outstanding')]),
          graph('ReplicaLag (ms): the PostgreSQL replica behind DynamoDB', [search('ReplicaLag', 'Maximum', 'lag')]),
          graph('Workflows in flight and past their deadline', [search('WorkflowsInFlight', 'Maximum', 'in flight'), search('WorkflowsPastDeadline', 'Maximum', 'past deadline')]),
        ],
        [new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 4 })],
      ],
    });
  }
}
