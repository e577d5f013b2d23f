/** The ADR's metrics, by their CloudWatch names. */
export type MetricName =
  | 'EventProcessingTime'
  | 'EventProcessingResult'
  | 'AggregateLoadTime'
  | 'EventsLoaded'
  | 'CommandConflictRetries'
  | 'CommandsFailed'
  | 'AggregateCacheHits'
  | 'AggregateCacheMisses'
  | 'AggregateCacheEvictions'
  | 'SnapshotFailures'
  | 'EventsPublished'
  | 'PublishRetries'
  | 'EventsDeadLettered'
  | 'SubscriptionLag'
  | 'SubscriptionLagEvents'
  | 'SubscriptionRetries'
  | 'SubscriptionParked'
  | 'SubscriptionHoles'
  | 'SubscriptionPositionExpired'
  | 'LeaseHolderChanges'
  | 'IteratorAge'
  | 'WorkflowsStarted'
  | 'WorkflowsFinished'
  | 'WorkflowsInFlight'
  | 'WorkflowOldestInFlight'
  | 'WorkflowsPastDeadline'
  | 'DeadLetters'
  | 'ReplicaLag'
  | 'EventsReplicated'
  | 'ReplicaStopped';

export type MetricUnit = 'Milliseconds' | 'Count';

export interface Metrics {
  record(name: MetricName, value: number, unit: MetricUnit, dimensions: Readonly<Record<string, string>>): void;
}
