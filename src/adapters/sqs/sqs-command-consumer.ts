import { randomUUID } from 'node:crypto';
import type { CommandError } from '../../application/commands/command-error.js';
import type { CommandContext } from '../../application/commands/command-executor.js';
import { maskCardNumbers } from '../../domain/index.js';
import { commandTable, type CommandServices } from '../http/command-table.js';
import { commandInputChecks, schemaCompiler } from '../http/command-validation.js';
import { transientWithin } from '../http/error-responses.js';
import { callerTraceOf } from '../http/trace-headers.js';
import { statusOf } from '../http/status-codes.js';
import { commandMessageOf, inputRefusal, messageChecks, type CommandMessage } from './command-message.js';
import type { SqsBatchResponse, SqsEvent, SqsRecord } from './sqs-events.js';

/**
 * What became of one message:
 * - done: the command ran (or had run: a redelivery answers the first outcome and appends nothing);
 * - refused: the message is invalid or the domain refuses the command. Sending it again changes nothing, so it is
 *   not a batch item failure: SQS deletes it, and this report is its record (not the DLQ, which would fill with
 *   what no retry can fix);
 * - retry: the store is unavailable, conflicts outlasted the retries, or a delivery of the same message is still
 *   running: reported as a batch item failure, SQS delivers it again after the visibility timeout;
 * - failed: an unexpected error (a bug, broken data): reported as a batch item failure too, so that after the
 *   queue's maxReceiveCount its redrive policy moves it to the DLQ for an operator.
 */
export type MessageOutcome = 'done' | 'refused' | 'retry' | 'failed';

export interface MessageReport {
  readonly messageId: string;
  readonly outcome: MessageOutcome;
  readonly command: string | null;
  readonly code?: string;
  readonly message: string;
  readonly aggregateId?: string;
  readonly version?: number;
  /** An unexpected error's id, quoted in the log line that holds its details. */
  readonly errorId?: string;
}

export interface SqsCommandOptions {
  /** Who acts when a message names no actor: the service sending commands on the queue. */
  readonly serviceActor: string;
  readonly report?: (report: MessageReport) => void;
  /** Where an unexpected error's details go (its stack is for operators, never in the report). */
  readonly logError?: (errorId: string, error: unknown) => void;
}

/** Refusals that may pass: the command is tried again on redelivery. */
const RETRYABLE: ReadonlySet<string> = new Set([
  'EVENT_STORE.UNAVAILABLE',
  'EVENT_STORE.CONCURRENCY_CONFLICT',
  'IDEMPOTENCY.IN_PROGRESS',
  'EVENT_STORE.IDEMPOTENCY_CLAIM_LOST',
] satisfies CommandError['code'][]);

/** Keys of messages apart from HTTP clients' Idempotency-Key values: one never answers for the other. */
export const idempotencyKeyOf = (messageId: string): string => `sqs:${messageId}`;

/**
 * Takes commands from SQS batches and runs them through the application, checked with the HTTP routes' own
 * schemas and run by their own handlers (command-table.ts), with the message id as the idempotency key: a message
 * delivered twice is applied once. Messages come from inside the account (the queue's policy says who may send):
 * the actor is the message's, else the configured service actor.
 */
export class SqsCommandConsumer {
  private constructor(
    private readonly table: ReturnType<typeof commandTable>,
    private readonly checkInput: ReturnType<typeof commandInputChecks>,
    private readonly checks: ReturnType<typeof messageChecks>,
    private readonly options: SqsCommandOptions,
  ) {}

  static async over(services: CommandServices, options: SqsCommandOptions): Promise<SqsCommandConsumer> {
    const table = commandTable(services);
    const compile = await schemaCompiler();
    return new SqsCommandConsumer(table, commandInputChecks(table, compile), messageChecks([...table.keys()], compile), options);
  }

  /**
   * One message at a time, in the batch's order. From a FIFO queue, the first message to be retried (retry or
   * failed; a refusal is done with) holds back every one after it (they are reported unprocessed), so that a message group's order survives a retry.
   */
  async handle(event: SqsEvent): Promise<SqsBatchResponse> {
    const failures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      if (failures.length > 0 && record.eventSourceARN.endsWith('.fifo')) {
        failures.push({ itemIdentifier: record.messageId });
        continue;
      }
      const report = await this.one(record);
      this.options.report?.({ ...report, message: maskCardNumbers(report.message) });
      if (report.outcome === 'retry' || report.outcome === 'failed') failures.push({ itemIdentifier: record.messageId });
    }
    return { batchItemFailures: failures };
  }

  private async one(record: SqsRecord): Promise<MessageReport> {
    const { messageId } = record;
    const parsed = commandMessageOf(record, this.checks);
    if (parsed.isErr()) return { messageId, outcome: 'refused', command: null, code: parsed.error.code, message: parsed.error.message };
    const message = parsed.value;
    const checked = this.checkInput(message.command, message.input);
    if (checked.isErr()) {
      const refusal = inputRefusal(checked.error);
      return { messageId, outcome: 'refused', command: message.command, code: refusal.code, message: refusal.message };
    }
    const { route, params, body } = checked.value;
    try {
      const result = await route.run(params, body, this.contextOf(record, message));
      if (result.isOk()) return { messageId, outcome: 'done', command: message.command, message: `${result.value.eventTypes.join(', ') || 'nothing to do'}`, aggregateId: result.value.aggregateId, version: result.value.version };
      const { code } = result.error;
      const outcome: MessageOutcome = RETRYABLE.has(code) ? 'retry' : statusOf(code) === 500 ? 'failed' : 'refused';
      return { messageId, outcome, command: message.command, code, message: result.error.message };
    } catch (error) {
      if (transientWithin(error)) return { messageId, outcome: 'retry', command: message.command, code: 'STORE.UNAVAILABLE', message: 'the store is unavailable for now' };
      const errorId = randomUUID();
      this.options.logError?.(errorId, error);
      return { messageId, outcome: 'failed', command: message.command, code: 'INTERNAL', message: `unexpected error ${errorId}`, errorId };
    }
  }

  /** The sender's trace, when it sent one, comes as the message attributes `traceparent` and `tracestate` (Strings), as HTTP headers do. */
  private contextOf(record: SqsRecord, message: CommandMessage): CommandContext {
    const trace = callerTraceOf(record.messageAttributes.traceparent?.stringValue, record.messageAttributes.tracestate?.stringValue);
    return {
      metadata: { correlationId: message.correlationId ?? record.messageId, causationId: message.causationId ?? null, actor: message.actor ?? this.options.serviceActor },
      idempotencyKey: idempotencyKeyOf(record.messageId),
      ...(trace === undefined ? {} : { trace }),
    };
  }
}
