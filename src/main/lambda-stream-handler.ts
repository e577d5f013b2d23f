import type { Container } from 'inversify';
import { eventsOfStreamRecords, firstToResend, type EventTableRecord } from '../adapters/dynamodb/stream-records.js';
import type { EventEnvelope } from '../application/events/envelope.js';
import { openEvents } from '../application/privacy/personal-fields.js';
import type { EventConsumer } from '../application/subscriptions/event-consumer.js';
import { loadBusConfig } from './bus-config.js';
import { ConfigError, loadConfig } from './config.js';
import { createContainer } from './container.js';
import { metricsOutputs, type MetricsOutputs } from './metrics-output.js';
import { connectPublisher, relayFor } from './relay-service.js';
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
  report: (line: string) => void = (line) => console.error(line),
  /** The records hold events as stored, personal fields sealed: consumers read them opened, as from the feed. */
  open: (events: EventEnvelope[]) => Promise<EventEnvelope[]> = async (events) => events,
): Promise<StreamBatchResponse> => {
  const sequenced = eventsOfStreamRecords(event.Records);
  const events = await open(sequenced.map(({ event: e }) => e));
  let handledUpTo = events.length;
  for (const consumer of consumers) {
    try {
      if ((await consumer.begin()) === null) {
        // Stopped at an event until an operator acts: hold the whole batch, like the poller does.
        report(`${consumer.name}: stopped at an event; the batch is held until it is retried or parked`);
        handledUpTo = 0;
        continue;
      }
      const outcome = await consumer.handle(events, null);
      if (outcome.status === 'stopped') {
        report(`${consumer.name}: stopped at ${outcome.failure.eventType} ${outcome.failure.eventId} (${outcome.failure.reason}): ${outcome.failure.message}`);
        handledUpTo = Math.min(handledUpTo, outcome.index);
      }
    } catch (error) {
      report(`${consumer.name}: ${error instanceof Error ? error.message : String(error)}; the batch will be retried`);
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
  const known = [...fed.map((consumer) => consumer.name), ...(bus === null ? [] : ['relay'])];
  const wanted = env.STREAM_CONSUMERS ? env.STREAM_CONSUMERS.split(',').map((name) => name.trim()) : known;
  const unknown = wanted.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new ConfigError(`STREAM_CONSUMERS names ${unknown.join(', ')}; known here: ${known.join(', ')}${bus === null ? ' (relay needs EVENT_BUS_NAME)' : ''}`);
  const consumers = fed.filter((consumer) => wanted.includes(consumer.name));
  if (bus !== null && wanted.includes('relay')) consumers.push(relayFor(container, await connectPublisher(container, bus), bus));
  return consumers;
};

/**
 * METRICS=emf (or both) in a Lambda: EMF lines on stdout, which CloudWatch Logs turns into metrics. Bound before
 * anything is resolved, so every component records into it. With prometheus alone nothing would scrape a
 * function: the container keeps its in-memory metrics.
 */
const bindLambdaMetrics = (container: Container): MetricsOutputs | null => {
  const output = container.get(TOKENS.Config).metrics;
  if (output === 'prometheus') return null;
  const metrics = metricsOutputs(output);
  container.rebind(TOKENS.Metrics).toConstantValue(metrics.metrics);
  return metrics;
};

let warm: Promise<{ consumers: EventConsumer[]; open: (events: EventEnvelope[]) => Promise<EventEnvelope[]>; metrics: MetricsOutputs | null }> | null = null;

/** The Lambda entry point: configured from the environment like the service (STORE=dynamodb, tables, bus), set up once per container. */
export const handler = async (event: DynamoDbStreamEvent): Promise<StreamBatchResponse> => {
  warm ??= createContainer(loadConfig())
    .then(async (container) => {
      const metrics = bindLambdaMetrics(container);
      const codec = container.get(TOKENS.PersonalData);
      return { consumers: await streamConsumers(container), open: (events: EventEnvelope[]) => openEvents(events, codec), metrics };
    })
    .catch((error: unknown) => {
      // A cold start that failed (store unreachable) is tried afresh by the next invocation.
      warm = null;
      throw error;
    });
  const { consumers, open, metrics } = await warm;
  try {
    return await handleStreamBatch(consumers, event, undefined, open);
  } finally {
    // Lambda may freeze the process as soon as the handler returns: nothing may wait for an interval.
    metrics?.flush();
  }
};

let warmContainer: Promise<Container> | null = null;

/**
 * The deadlines' Lambda entry point, for a schedule (EventBridge Scheduler, `rate(1 minute)`): fires every
 * workflow deadline due now. Instances racing (an overlapping invocation) never fire the same deadline twice:
 * the scheduler holds each one for the instance that took it.
 */
export const deadlineHandler = async (): Promise<{ readonly fired: number }> => {
  warmContainer ??= createContainer(loadConfig()).catch((error: unknown) => {
    warmContainer = null;
    throw error;
  });
  const fulfilment = (await warmContainer).get(TOKENS.Fulfilment);
  let fired = 0;
  for (let batch = await fulfilment.fireDueDeadlines(); batch > 0; batch = await fulfilment.fireDueDeadlines()) fired += batch;
  return { fired };
};
