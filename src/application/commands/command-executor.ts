import { createHash, randomUUID } from 'node:crypto';
import { err, ok, type Result } from 'neverthrow';
import { Aggregate, domainError, type AggregateDefinition, type DomainError, type DomainEvent } from '../../domain/index.js';
import type { EventMetadata } from '../events/envelope.js';
import type { AppendResult } from '../ports/event-store.js';
import type { IdempotencyStore } from '../ports/idempotency-store.js';
import type { Metrics } from '../ports/metrics.js';
import type { Clock } from '../ports/runtime.js';
import type { AggregateRepository } from '../repository/aggregate-repository.js';
import type { CommandError, CommandOutcome } from './command-error.js';

export interface CommandContext {
  readonly metadata: EventMetadata;
  /** A repeat of a command with the same key returns the first outcome and appends nothing. */
  readonly idempotencyKey?: string;
}

/**
 * What a command expects of its aggregate:
 * - 'existing': it is refused with `<TYPE>.NOT_FOUND` while the aggregate has no events;
 * - 'new': it normally starts the stream (placing an order, registering a customer). Unless the cache knows
 *   the aggregate, it is decided on the initial state without reading and appended expecting no stream: one
 *   round trip. Should the stream exist after all, that append conflicts and the command is decided again on
 *   the stored state, which refuses it the way the domain does (`ORDER.ALREADY_EXISTS` and the like);
 * - 'either': it may start the stream or extend it.
 */
export type Expectation = 'existing' | 'new' | 'either';

export interface CommandSpec<S, E extends DomainEvent> {
  readonly definition: AggregateDefinition<S, E>;
  readonly aggregateId: string;
  /** The command's name and arguments: a key reused for another command is refused. */
  readonly fingerprint: unknown;
  readonly expects: Expectation;
  readonly decide: (state: S) => Result<readonly E[], DomainError>;
}

type Stored = { ok: true; value: CommandOutcome } | { ok: false; error: CommandError };

// Outcomes that appended nothing for certain: the key is given back so that a retry runs the command.
// EVENT_STORE.UNAVAILABLE is not one of them (the commit may have landed): that key waits out its lease.
const NOTHING_APPENDED = new Set(['EVENT_STORE.CONCURRENCY_CONFLICT']);
const UNKNOWN_OUTCOME = 'EVENT_STORE.UNAVAILABLE';

/** How long a claimed key is held for a command that never reports back (its process died). */
export const IDEMPOTENCY_LEASE_MS = 30_000;

const CONFLICT = 'EVENT_STORE.CONCURRENCY_CONFLICT';

/**
 * Load, decide, append with the expected version; on a conflict, decide again on fresh state.
 *
 * The first try reads nothing when it can: it decides on the cached aggregate, or, for a command expected to
 * start its stream, on the initial state, and the append's expected version checks that guess. What a guess
 * cannot settle is settled on the stored state: a conflict (the guess was stale), and any refusal or empty
 * decision (no append checked the state it was made on). So a stale guess costs a round trip, never a wrong answer.
 */
export class CommandExecutor {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly idempotency: IdempotencyStore,
    private readonly metrics: Metrics,
    private readonly clock: Clock,
    private readonly maxAttempts = 5,
  ) {}

  async execute<S, E extends DomainEvent>(spec: CommandSpec<S, E>, context: CommandContext): Promise<Result<CommandOutcome, CommandError>> {
    const key = context.idempotencyKey;
    if (key === undefined) return this.attempt(spec, context.metadata);
    // A digest, not the arguments: idempotency records must hold no personal data or payment details.
    const fingerprint = createHash('sha256').update(JSON.stringify([spec.definition.type, spec.aggregateId, spec.fingerprint])).digest('hex');
    const now = this.clock.now();
    const until = new Date(Date.parse(now) + IDEMPOTENCY_LEASE_MS).toISOString();
    const claim = await this.idempotency.claim(key, { owner: randomUUID(), now, until });
    if (claim.status === 'in-progress') {
      return err({ code: 'IDEMPOTENCY.IN_PROGRESS', message: `a command with idempotency key ${key} is still running; retry shortly` });
    }
    if (claim.status === 'completed') {
      if (claim.stored.fingerprint !== fingerprint) {
        return err({ code: 'IDEMPOTENCY.KEY_REUSED', message: `idempotency key ${key} was already used for a different command` });
      }
      const first = claim.stored.outcome as Stored;
      return first.ok ? ok(first.value) : err(first.error);
    }
    const result = await this.attempt(spec, context.metadata).catch(async (error: unknown) => {
      await this.idempotency.release(key);
      throw error;
    });
    if (result.isErr() && NOTHING_APPENDED.has(result.error.code)) {
      await this.idempotency.release(key);
    } else if (!(result.isErr() && result.error.code === UNKNOWN_OUTCOME)) {
      const outcome: Stored = result.isOk() ? { ok: true, value: result.value } : { ok: false, error: result.error };
      // The command's outcome stands even if recording it fails; the key then waits out its lease.
      await this.idempotency.complete(key, { fingerprint, outcome }).catch(() => undefined);
    }
    return result;
  }

  private async attempt<S, E extends DomainEvent>(spec: CommandSpec<S, E>, metadata: EventMetadata): Promise<Result<CommandOutcome, CommandError>> {
    const { definition, aggregateId } = spec;
    const guess = this.repository.cached(definition, aggregateId) ?? (spec.expects === 'new' ? new Aggregate(definition, aggregateId) : null);
    if (guess !== null) {
      const settled = await this.onGuess(guess, spec, metadata);
      if (settled !== null) return settled;
    }
    for (let attempt = 1; ; attempt += 1) {
      const loaded = await this.repository.load(definition, aggregateId);
      if (loaded.isErr()) return err(loaded.error);
      const aggregate = loaded.value;
      if (spec.expects === 'existing' && aggregate.version === 0) {
        return err(domainError(`${definition.type.toUpperCase()}.NOT_FOUND`, `${definition.type} ${aggregateId} does not exist`));
      }
      const decided = aggregate.execute(spec.decide);
      if (decided.isErr()) return err(decided.error);
      const saved = await this.repository.save(aggregate, metadata);
      if (saved.isOk()) return ok(outcomeOf(aggregateId, saved.value, decided.value));
      if (saved.error.code !== CONFLICT || attempt >= this.maxAttempts) return err(saved.error);
      this.metrics.record('CommandConflictRetries', 1, 'Count', { AggregateType: definition.type });
      // Jittered back-off spreads racing writers apart so that each retry has a chance to win.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** attempt));
    }
  }

  /**
   * Decides on a guessed state and appends expecting its version. The outcome when that settles the command
   * (the append landed, or failed other than by a conflict); null when the stored state must decide.
   */
  private async onGuess<S, E extends DomainEvent>(guess: Aggregate<S, E>, spec: CommandSpec<S, E>, metadata: EventMetadata): Promise<Result<CommandOutcome, CommandError> | null> {
    const decided = guess.execute(spec.decide);
    if (decided.isErr() || decided.value.length === 0) return null;
    const saved = await this.repository.save(guess, metadata);
    if (saved.isOk()) return ok(outcomeOf(spec.aggregateId, saved.value, decided.value));
    if (saved.error.code !== CONFLICT) return err(saved.error);
    // A cached state overtaken by a rival's commit is a conflict retried; a creation meeting an existing stream is not.
    if (guess.persistedVersion > 0) this.metrics.record('CommandConflictRetries', 1, 'Count', { AggregateType: spec.definition.type });
    return null;
  }
}

const outcomeOf = (aggregateId: string, appended: AppendResult, events: readonly DomainEvent[]): CommandOutcome => ({
  aggregateId,
  streamId: appended.streamId,
  version: appended.nextVersion,
  eventTypes: events.map((event) => event.type),
});
