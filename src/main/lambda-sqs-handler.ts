import type { Container } from 'inversify';
import type { Logger } from '../application/ports/logger.js';
import { SqsCommandConsumer, type MessageReport } from '../adapters/sqs/sqs-command-consumer.js';
import type { SqsBatchResponse, SqsEvent } from '../adapters/sqs/sqs-events.js';
import { appFrom } from './app.js';
import { loadConfig, type AppConfig } from './config.js';
import { closedOnFailure, createContainer } from './container.js';
import { flushTelemetry, setUpOnce } from './lambda-lifecycle.js';
import { bindLambdaMetrics } from './lambda-stream-handler.js';
import { bindLogger, loadLogLevel } from './log-output.js';
import { loadSqsCommandConfig } from './sqs-command-config.js';

/** One JSON line per message (CloudWatch Logs), through the service's logger: a refusal's line is its only record, the message being deleted. */
const reportTo =
  (logger: Logger) =>
  (report: MessageReport): void => {
    const level = report.outcome === 'done' ? 'info' : report.outcome === 'refused' || report.outcome === 'retry' ? 'warn' : 'error';
    logger[level](`sqs command ${report.outcome}`, { ...report });
  };

export interface SqsCommandHandler {
  (event: SqsEvent): Promise<SqsBatchResponse>;
  /** Closes the store (a test's; Lambda simply freezes the process). */
  close(): Promise<void>;
}

/**
 * A handler for an SQS event source mapping (with `FunctionResponseTypes: ["ReportBatchItemFailures"]`), configured
 * from `env` like the service, set up once per Lambda container. It runs commands only: the projections and the
 * workflow are driven by the stream Lambda (CONSUMERS=off). `containerOf` lets a test open the container itself.
 */
export const sqsCommandHandlerFrom = (
  env: NodeJS.ProcessEnv,
  containerOf: (config: AppConfig) => Promise<Container> = createContainer,
  /** Where each message's report goes; the service's JSON log lines by default. */
  report?: (report: MessageReport) => void,
): SqsCommandHandler => {
  // A cold start that failed (store unreachable) is tried afresh by the next invocation; its batch comes back.
  const lambda = setUpOnce(async () => {
    // Every setting read after the store opens is checked before it opens, so that a bad one leaves nothing open.
    const settings = loadSqsCommandConfig(env);
    const level = loadLogLevel(env);
    const container = await containerOf(loadConfig(env, { consumers: 'off' }));
    const metrics = bindLambdaMetrics(container);
    const logger = bindLogger(container, level);
    const app = await closedOnFailure(container, async () => appFrom(container, env));
    // Closed when the rest of the set-up fails: the next invocation opens the store afresh (PGlite's folder takes one opener).
    const consumer = await SqsCommandConsumer.over(app, {
      serviceActor: settings.serviceActor,
      report: report ?? reportTo(logger),
      logError: (errorId, error) => logger.error('unexpected error', { errorId, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    }).catch(async (error: unknown) => {
      await app.close();
      throw error;
    });
    return { consumer, flush: () => flushTelemetry(container, metrics), close: app.close };
  });
  const handler = async (event: SqsEvent): Promise<SqsBatchResponse> => {
    const { consumer, flush } = await lambda.get();
    try {
      return await consumer.handle(event);
    } finally {
      await flush();
    }
  };
  return Object.assign(handler, { close: async () => (await lambda.current())?.close() });
};

/** The Lambda entry point for the command queue. */
export const sqsCommandHandler = sqsCommandHandlerFrom(process.env);
