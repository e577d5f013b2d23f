import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeEventBusCommand, EventBridgeClient, PutEventsCommand, type PutEventsCommandOutput } from '@aws-sdk/client-eventbridge';
import { err, ok, type Result } from 'neverthrow';
import type { EventEnvelope } from '../../application/events/envelope.js';
import type { DeadLetter, DeadLetterSink } from '../../application/ports/dead-letter-sink.js';
import { PublishFailedError, type EventPublisher } from '../../application/ports/event-publisher.js';
import type { Metrics } from '../../application/ports/metrics.js';
import type { Clock } from '../../application/ports/runtime.js';
import { describeCallFailure, isRetryableEntryCode } from './bus-errors.js';
import { prepareEntries, type PreparedEntry } from './event-entries.js';
import { settingsFrom, type EventBridgePublisherOptions, type PublisherSettings } from './eventbridge-options.js';
import { intoBatches } from './put-events-limits.js';
import { withBackoff, type AttemptOutcome, type Pacing } from '../backoff/retry-policy.js';

export type EventBusStartError =
  | { readonly code: 'EVENT_BUS.INVALID_CONFIG'; readonly message: string }
  | { readonly code: 'EVENT_BUS.NOT_FOUND'; readonly message: string; readonly busName: string }
  | { readonly code: 'EVENT_BUS.REFUSED'; readonly message: string }
  | { readonly code: 'EVENT_BUS.UNAVAILABLE'; readonly message: string };

export interface PublisherDeps {
  readonly deadLetters: DeadLetterSink;
  readonly metrics: Metrics;
  readonly clock: Clock;
  /** Real timers unless a test wants to see the back-off without waiting for it. */
  readonly pacing?: Pacing;
}

const realPacing: Pacing = {
  sleep: async (milliseconds) => {
    await sleep(milliseconds);
  },
  random: Math.random,
};

/**
 * Publishes committed events to one EventBridge bus. PutEvents answers 200 even when entries fail, so
 * each entry's result is read: retryable failures are sent again (only those) with back-off, permanent
 * ones go to the dead-letter sink with an alert metric. The SDK's own retries are off so that this
 * policy is the only one.
 */
export class EventBridgePublisher implements EventPublisher {
  readonly #client: EventBridgeClient;
  readonly #settings: PublisherSettings;
  readonly #deps: PublisherDeps;
  readonly #pacing: Pacing;

  private constructor(client: EventBridgeClient, settings: PublisherSettings, deps: PublisherDeps) {
    this.#client = client;
    this.#settings = settings;
    this.#deps = deps;
    this.#pacing = deps.pacing ?? realPacing;
  }

  /** Validates the options and checks that the bus exists (DescribeEventBus): PutEvents to a missing bus succeeds and drops the events. */
  static async connect(options: EventBridgePublisherOptions, deps: PublisherDeps): Promise<Result<EventBridgePublisher, EventBusStartError>> {
    const settings = settingsFrom(options);
    if (typeof settings === 'string') return err({ code: 'EVENT_BUS.INVALID_CONFIG', message: settings });
    const client = new EventBridgeClient({
      region: options.region,
      maxAttempts: 1,
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    });
    const publisher = new EventBridgePublisher(client, settings, deps);
    const checked = await publisher.#checkBus();
    if (checked.isErr()) {
      client.destroy();
      return err(checked.error);
    }
    return ok(publisher);
  }

  async publish(events: readonly EventEnvelope[]): Promise<void> {
    const { entries, refused } = prepareEntries(events, this.#settings);
    await this.#deadLetter(refused.map((refusal) => ({ ...refusal, busErrorCode: null })));
    for (const batch of intoBatches(entries, this.#settings.maxRequestBytes)) await this.#send(batch);
  }

  close(): void {
    this.#client.destroy();
  }

  async #send(batch: readonly PreparedEntry[]): Promise<void> {
    const { busName } = this.#settings;
    let pending = batch;
    const outcome = await withBackoff(this.#settings.retry, this.#pacing, async (attempt): Promise<AttemptOutcome<void>> => {
      if (attempt > 1) this.#deps.metrics.record('PublishRetries', pending.length, 'Count', { EventBus: busName });
      const answer = await this.#putEvents(pending);
      if (typeof answer === 'string') return { done: false, reason: answer };
      pending = await this.#settle(pending, answer);
      if (pending.length === 0) return { done: true, value: undefined };
      return { done: false, reason: `${pending.length} entries failed with a retryable code` };
    });
    if (!outcome.ok) {
      throw new PublishFailedError('EVENT_BUS.UNAVAILABLE', `event bus ${busName} did not accept ${pending.length} events after ${outcome.attempts} attempts; last: ${outcome.reason}`);
    }
  }

  /** Each entry's result, or why the whole call failed in a way worth retrying; throws when the bus refuses the request. */
  async #putEvents(pending: readonly PreparedEntry[]): Promise<EntryResult[] | string> {
    let response: PutEventsCommandOutput;
    try {
      response = await this.#client.send(new PutEventsCommand({ Entries: pending.map((prepared) => prepared.entry) }));
    } catch (error) {
      const failure = describeCallFailure(error);
      if (!failure.retryable) throw new PublishFailedError('EVENT_BUS.REFUSED', `event bus ${this.#settings.busName} refused PutEvents: ${failure.code}: ${failure.message}`);
      return `${failure.code}: ${failure.message}`;
    }
    const results = response.Entries ?? [];
    if (results.length !== pending.length) throw new PublishFailedError('EVENT_BUS.UNAVAILABLE', `PutEvents answered ${results.length} results for ${pending.length} entries`);
    // FailedEntryCount says how many failed; only the entries say which.
    if (response.FailedEntryCount === 0 && results.every((result) => result.EventId !== undefined)) return pending.map(() => ({ errorCode: null, errorMessage: null }));
    return results.map((result) => ({
      // An entry with neither an id nor a code was not taken: send it again.
      errorCode: result.ErrorCode ?? (result.EventId === undefined ? 'InternalFailure' : null),
      errorMessage: result.ErrorMessage ?? null,
    }));
  }

  /** Counts the accepted, dead-letters the refused, and returns the entries to send again. */
  async #settle(pending: readonly PreparedEntry[], results: readonly EntryResult[]): Promise<PreparedEntry[]> {
    const { busName } = this.#settings;
    const again: PreparedEntry[] = [];
    const refused: Omit<DeadLetter, 'deadLetteredAt'>[] = [];
    pending.forEach((prepared, index) => {
      const { errorCode, errorMessage } = results[index] as EntryResult;
      if (errorCode === null) return;
      if (isRetryableEntryCode(errorCode)) {
        again.push(prepared);
        return;
      }
      const { event } = prepared;
      refused.push({
        event,
        code: 'PUBLISH.REJECTED_BY_BUS',
        busErrorCode: errorCode,
        message: `event bus ${busName} refused event ${event.eventId} (${event.type}): ${errorCode}: ${errorMessage ?? 'no message'}`,
      });
    });
    this.#deps.metrics.record('EventsPublished', pending.length - again.length - refused.length, 'Count', { EventBus: busName });
    await this.#deadLetter(refused);
    return again;
  }

  async #deadLetter(letters: readonly Omit<DeadLetter, 'deadLetteredAt'>[]): Promise<void> {
    if (letters.length === 0) return;
    const deadLetteredAt = this.#deps.clock.now();
    await this.#deps.deadLetters.put(letters.map((letter) => ({ ...letter, deadLetteredAt })));
    for (const { event, code } of letters) {
      this.#deps.metrics.record('EventsDeadLettered', 1, 'Count', { EventBus: this.#settings.busName, EventType: event.type, Code: code });
    }
  }

  async #checkBus(): Promise<Result<void, EventBusStartError>> {
    const { busName } = this.#settings;
    const outcome = await withBackoff(this.#settings.retry, this.#pacing, async (): Promise<AttemptOutcome<Result<void, EventBusStartError>>> => {
      try {
        await this.#client.send(new DescribeEventBusCommand({ Name: busName }));
        return { done: true, value: ok(undefined) };
      } catch (error) {
        const failure = describeCallFailure(error);
        if (failure.retryable) return { done: false, reason: `${failure.code}: ${failure.message}` };
        if (failure.code === 'ResourceNotFoundException') {
          return { done: true, value: err({ code: 'EVENT_BUS.NOT_FOUND', busName, message: `event bus ${busName} does not exist (${failure.message}); create it or configure another bus` }) };
        }
        return { done: true, value: err({ code: 'EVENT_BUS.REFUSED', message: `DescribeEventBus ${busName} was refused: ${failure.code}: ${failure.message}` }) };
      }
    });
    if (outcome.ok) return outcome.value;
    return err({ code: 'EVENT_BUS.UNAVAILABLE', message: `event bus ${busName} could not be reached after ${outcome.attempts} attempts; last: ${outcome.reason}` });
  }
}

interface EntryResult {
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
}
