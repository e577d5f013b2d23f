import type { Container } from 'inversify';
import { eventsOfStreamRecords, firstToResend, type EventTableRecord } from '../adapters/dynamodb/stream-records.js';
import type { EventEnvelope } from '../application/events/envelope.js';
import type { Logger } from '../application/ports/logger.js';
import type { Metrics } from '../application/ports/metrics.js';
import type { Clock } from '../application/ports/runtime.js';
import { recordDeadLetters } from '../application/relay/dead-letter-gauge.js';
import { openEvents } from '../application/privacy/personal-fields.js';
import { stopLogFields } from '../application/subscriptions/consumer-log-fields.js';
import type { EventConsumer } from '../application/subscriptions/event-consumer.js';
import { REPLICA_NAME } from '../application/replica/event-replica.js';
import { loadBusConfig } from './bus-config.js';
import { ConfigError, loadConfig } from './config.js';
import { closedOnFailure, createContainer } from './container.js';
import { flushTelemetry, setUpOnce } from './lambda-lifecycle.js';
import { bindLogger, loadLogLevel } from './log-output.js';
import { metricsOutputs, type MetricsOutputs } from './metrics-output.js';
import { connectPublisher, relayFor } from './relay-service.js';
import { loadReplicaConfig } from './replica-config.js';
import { openReplica } from './replica-service.js';
import { TOKENS } from './tokens.js';

/** What a DynamoDB Streams event source mapping hands a function. */
export interface DynamoDbStreamEvent {
  readonly Records: readonly EventTableRecord[];
}

/** The partial batch response (the mapping needs `FunctionResponseTypes: ["ReportBatchItemFailures"]`). */
export interface StreamBatchResponse {
  readonly batchItemFailures: { readonly itemIdentifier: string }[];
}

/**
 * Feeds one shard's batch to every consumer (the projections, and the relay when a bus is configured): the
 * same consumer code the in-process poller drives. The mapping keeps the position, so nothing is checkpointed
 * here; what failed is reported as the first record not handled by every consumer, and Lambda sends that
 * record and everything after it in its shard again (consumers skip what they already handled). Infrastructure
 * failures report the whole batch, to be retried by the mapping's own policy.
 */
export const handleStreamBatch = async (
  consumers: readonly EventConsumer[],
  event: DynamoDbStreamEvent,
  logger: Logger,
  /** The records hold events as stored, personal fields sealed: consumers read them opened, as from the feed. */
  open: (events: EventEnvelope[]) => Promise<EventEnvelope[]> = async (events) => events,
  /** Where each consumer's lag and stops are recorded, as the in-process poller records them (SubscriptionLag, SubscriptionParked). */
  observed: { readonly metrics: Metrics; readonly clock: Clock } | null = null,
): Promise<StreamBatchResponse> => {
  const sequenced = eventsOfStreamRecords(event.Records);
  const sealed = sequenced.map(({ event: e }) => e);
  const events = consumers.some((consumer) => consumer.takesSealed !== true) ? await open(sealed) : sealed;
  let handledUpTo = events.length;
  for (const consumer of consumers) {
    const log = logger.child({ consumer: consumer.name });
    try {
      if ((await consumer.begin()) === null) {
        // Stopped at an event until an operator acts: hold the whole batch, like the poller does.
        log.warn('consumer is stopped at an event; the batch is held until an operator retries or parks it', { events: events.length });
        handledUpTo = 0;
        continue;
      }
      // The replica copies events as stored; every other consumer reads them opened. Same order, so indexes agree.
      const outcome = await consumer.handle(consumer.takesSealed === true ? sealed : events, null);
      if (outcome.status === 'stopped') {
        log.error('consumer stopped at an event; its record and those after it are sent again', stopLogFields(outcome.failure, events));
        handledUpTo = Math.min(handledUpTo, outcome.index);
        observed?.metrics.record('SubscriptionParked', 1, 'Count', { Consumer: consumer.name, Reason: outcome.failure.reason });
      } else if (outcome.lastRecordedAt !== null && observed !== null) {
        const lagMs = Math.max(0, Date.parse(observed.clock.now()) - Date.parse(outcome.lastRecordedAt));
        observed.metrics.record('SubscriptionLag', lagMs, 'Milliseconds', { Consumer: consumer.name });
      }
    } catch (error) {
      log.warn('consumer failed on the batch; the whole batch will be retried', { events: events.length, error: error instanceof Error ? error.message : String(error) });
      handledUpTo = 0;
    }
  }
  const resendFrom = firstToResend(sequenced.slice(handledUpTo));
  return { batchItemFailures: resendFrom === null ? [] : [{ itemIdentifier: resendFrom }] };
};

/**
 * The consumers a container runs: its projections (live generations), the order-fulfilment workflow (unless
 * FULFILMENT=manual) and, with a bus, the relay; `STREAM_CONSUMERS`
 * (names, comma-separated; `relay` for the relay) picks some, so that each can have an event source mapping of
 * its own and one stopped at an event never holds the others' records.
 */
export const streamConsumers = async (container: Container, env: NodeJS.ProcessEnv = process.env): Promise<EventConsumer[]> => {
  const bus = loadBusConfig(env);
  const projections: EventConsumer[] = container.get(TOKENS.Projections).consumers();
  const workflows: EventConsumer[] = container.get(TOKENS.Config).fulfilment === 'workflow' ? [container.get(TOKENS.Fulfilment).runner] : [];
  const fed = [...projections, ...workflows];
  const replica = loadReplicaConfig(env, container.get(TOKENS.Config).store);
  const known = [...fed.map((consumer) => consumer.name), ...(bus === null ? [] : ['relay']), ...(replica === null ? [] : [REPLICA_NAME])];
  // The replica runs only where named: it wants an event source mapping (and a VPC path to PostgreSQL) of its own.
  const wanted = env.STREAM_CONSUMERS ? env.STREAM_CONSUMERS.split(',').map((name) => name.trim()) : known.filter((name) => name !== REPLICA_NAME);
  const unknown = wanted.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(`STREAM_CONSUMERS names ${unknown.join(', ')}; known here: ${known.join(', ')}${bus === null ? ' (relay needs EVENT_BUS_NAME)' : ''}${replica === null ? ' (replica needs REPLICA_DATABASE_URL)' : ''}`);
  }
  const consumers = fed.filter((consumer) => wanted.includes(consumer.name));
  if (bus !== null && wanted.includes('relay')) consumers.push(relayFor(container, await connectPublisher(container, bus), bus));
  if (replica !== null && wanted.includes(REPLICA_NAME)) consumers.push((await openReplica(container, replica)).consumer);
  return consumers;
};

/**
 * METRICS=emf (or both) in a Lambda: EMF lines on stdout, which CloudWatch Logs turns into metrics. Bound before
 * anything is resolved, so every component records into it. With prometheus alone nothing would scrape a
 * function: the container keeps its in-memory metrics.
 */
export const bindLambdaMetrics = (container: Container): MetricsOutputs | null => {
  const output = container.get(TOKENS.Config).metrics;
  if (output === 'prometheus') return null;
  const metrics = metricsOutputs(output);
  container.rebind(TOKENS.Metrics).toConstantValue(metrics.metrics);
  return metrics;
};

const streamLambda = setUpOnce(async () => {
  // Read before the store opens, so that a bad value leaves nothing open.
  const level = loadLogLevel();
  const container = await createContainer(loadConfig());
  const metrics = bindLambdaMetrics(container);
  const logger = bindLogger(container, level);
  const codec = container.get(TOKENS.PersonalData);
  return {
    container,
    consumers: await closedOnFailure(container, () => streamConsumers(container)),
    open: (events: EventEnvelope[]) => openEvents(events, codec),
    metrics,
    observed: { metrics: container.get(TOKENS.Metrics), clock: container.get(TOKENS.Clock) },
    logger,
  };
});

/** The Lambda entry point: configured from the environment like the service (STORE=dynamodb, tables, bus), set up once per container. */
export const handler = async (event: DynamoDbStreamEvent): Promise<StreamBatchResponse> => {
  const { container, consumers, open, metrics, observed, logger } = await streamLambda.get();
  try {
    return await handleStreamBatch(consumers, event, logger, open, observed);
  } finally {
    await flushTelemetry(container, metrics);
  }
};

const deadlineLambda = setUpOnce(async () => {
  const level = loadLogLevel();
  const container = await createContainer(loadConfig());
  const metrics = bindLambdaMetrics(container);
  bindLogger(container, level);
  return { container, metrics };
});

/**
 * The deadlines' Lambda entry point, for a schedule (EventBridge Scheduler, `rate(1 minute)`): fires every
 * workflow deadline due now. Instances racing (an overlapping invocation) never fire the same deadline twice:
 * the scheduler holds each one for the instance that took it.
 */
export const deadlineHandler = async (): Promise<{ readonly fired: number }> => {
  const { container, metrics } = await deadlineLambda.get();
  const fulfilment = container.get(TOKENS.Fulfilment);
  let fired = 0;
  try {
    for (let batch = await fulfilment.fireDueDeadlines(); batch > 0; batch = await fulfilment.fireDueDeadlines()) fired += batch;
    // The schedule's minute tick is the operations gauges' too: workflows in flight and past their deadline, dead letters.
    await fulfilment.refreshGauges();
    await recordDeadLetters(container.get(TOKENS.DeadLetterStore), container.get(TOKENS.Metrics));
  } finally {
    await flushTelemetry(container, metrics);
  }
  return { fired };
};
