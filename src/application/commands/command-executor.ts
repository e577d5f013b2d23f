import { createHash, randomUUID } from 'node:crypto';
import { err, ok, type Result } from 'neverthrow';
import { Aggregate, domainError, millisAfter, type AggregateDefinition, type DomainError, type DomainEvent } from '../../domain/index.js';
import { canonicalJson } from '../events/canonical-json.js';
import { streamIdOf, type EventMetadata } from '../events/envelope.js';
import type { IdempotencyCompletion } from '../ports/event-store.js';
import type { IdempotencyStore } from '../ports/idempotency-store.js';
import type { Metrics } from '../ports/metrics.js';
import type { Clock } from '../ports/runtime.js';
import { UNTRACED_COMMAND, type CommandSpan, type TraceContext } from '../ports/tracing.js';
import { withTraceContext } from '../events/trace-context.js';
import type { AggregateRepository } from '../repository/aggregate-repository.js';
import type { CommandError, CommandOutcome } from './command-error.js';

export interface CommandContext {
  readonly metadata: EventMetadata;
  /** A repeat of a command with the same key returns the first outcome and appends nothing. */
  readonly idempotencyKey?: string;
  /** The caller's trace context (W3C `traceparent`, `tracestate`): the command's span is its child. Absent: a new trace, or the active one. */
  readonly trace?: TraceContext;
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

/**
 * How long a claimed key answers IDEMPOTENCY.IN_PROGRESS to another request with it. Exactly-once does not rest on
 * it: the key's record commits in the same transaction as the command's events, and only while the claim is still
 * its owner's, so a run whose claim was taken over appends nothing (EVENT_STORE.IDEMPOTENCY_CLAIM_LOST). The lease
 * only keeps a second request from racing a live first run (one of the two would lose anyway); it must outlast a
 * command's normal run (a few load/append round trips, conflict retries included), not a crash. So it is short: a
 * retry after a crash takes the key over within 5 s (on PGlite at once: the store frees a dead process's claims
 * when it opens the data folder, which no other process can hold).
 */
export const IDEMPOTENCY_LEASE_MS = 5_000;

/** How long a key's record is kept by default: a repeat within it returns the first outcome; after it the key is new again. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60_000;

export interface IdempotencyTiming {
  readonly leaseMs: number;
  readonly retentionMs: number;
}

const CONFLICT = 'EVENT_STORE.CONCURRENCY_CONFLICT';
const CLAIM_LOST = 'EVENT_STORE.IDEMPOTENCY_CLAIM_LOST';
const UNKNOWN_OUTCOME = 'EVENT_STORE.UNAVAILABLE';

/** What an append needs to complete its key in the same commit; the outcome is added once the events are decided. */
type KeyClaim = Omit<IdempotencyCompletion, 'outcome'>;

const takenOver = (key: string): CommandError => ({
  code: 'IDEMPOTENCY.IN_PROGRESS',
  message: `another request with idempotency key ${key} took this command over; retry shortly for its outcome`,
});

/**
 * Load, decide, append with the expected version; on a conflict, decide again on fresh state.
 *
 * The first try reads nothing when it can: it decides on the cached aggregate, or, for a command expected to
 * start its stream, on the initial state, and the append's expected version checks that guess. What a guess
 * cannot settle is settled on the stored state: a conflict (the guess was stale), and any refusal or empty
 * decision (no append checked the state it was made on). So a stale guess costs a round trip, never a wrong answer.
 *
 * With an idempotency key, the outcome is known before the append (the next version is the expected one plus the
 * events) and travels with it: the key's record commits with the events or not at all.
 */
export class CommandExecutor {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly idempotency: IdempotencyStore,
    private readonly metrics: Metrics,
    private readonly clock: Clock,
    private readonly maxAttempts = 5,
    private readonly timing: IdempotencyTiming = { leaseMs: IDEMPOTENCY_LEASE_MS, retentionMs: IDEMPOTENCY_RETENTION_MS },
  ) {}

  /** `span`: the command's span (see Tracing), whose steps this runs and whose context its events are created in. */
  async execute<S, E extends DomainEvent>(spec: CommandSpec<S, E>, context: CommandContext, span: CommandSpan = UNTRACED_COMMAND): Promise<Result<CommandOutcome, CommandError>> {
    const key = context.idempotencyKey;
    if (key === undefined) return this.attempt(spec, context.metadata, null, span);
    // A digest, not the arguments: idempotency records must hold no personal data or payment details. Canonical
    // JSON, so that the same command sent with its keys in another order is the same command.
    const fingerprint = createHash('sha256').update(canonicalJson([spec.definition.type, spec.aggregateId, spec.fingerprint])).digest('hex');
    const now = this.clock.now();
    const owner = randomUUID();
    const expiresAt = millisAfter(now, this.timing.retentionMs);
    const claim = await this.idempotency.claim(key, { owner, now, until: millisAfter(now, this.timing.leaseMs), expiresAt });
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
    const held: KeyClaim = { key, owner, fingerprint, expiresAt };
    const result = await this.attempt(spec, context.metadata, held, span).catch(async (error: unknown) => {
      await this.idempotency.release(key, owner).catch(() => undefined);
      throw error;
    });
    // A success with events was recorded with them.
    if (result.isOk() && result.value.eventTypes.length > 0) return result;
    const code = result.isErr() ? result.error.code : null;
    if (code === CLAIM_LOST) return err(takenOver(key));
    if (code === CONFLICT || code === UNKNOWN_OUTCOME) {
      // Nothing was appended (a conflict), or nobody knows (the store went away): either way the key is given back.
      // Safe even when a commit of ours did land or still lands: it completed the key with it, which a release
      // never undoes, or it finds the claim no longer ours and appends nothing. A failed release waits out the lease.
      await this.idempotency.release(key, owner).catch(() => undefined);
      return result;
    }
    // A refusal, or nothing to do: nothing was appended, and the outcome is recorded under the key by its owner only.
    const outcome: Stored = result.isOk() ? { ok: true, value: result.value } : { ok: false, error: result.error };
    const recorded = await this.idempotency
      .complete({ ...held, outcome })
      // The refusal stands even if recording it fails; the key then waits out its lease and a retry decides again.
      .catch(() => true);
    return recorded ? result : err(takenOver(key));
  }

  private async attempt<S, E extends DomainEvent>(spec: CommandSpec<S, E>, metadata: EventMetadata, held: KeyClaim | null, span: CommandSpan): Promise<Result<CommandOutcome, CommandError>> {
    const { definition, aggregateId } = spec;
    const guess = this.repository.cached(definition, aggregateId) ?? (spec.expects === 'new' ? new Aggregate(definition, aggregateId) : null);
    if (guess !== null) {
      const settled = await this.onGuess(guess, spec, metadata, held, span);
      if (settled !== null) return settled;
    }
    for (let attempt = 1; ; attempt += 1) {
      const loaded = await span.step('load', () => this.repository.load(definition, aggregateId));
      if (loaded.isErr()) return err(loaded.error);
      const aggregate = loaded.value;
      if (spec.expects === 'existing' && aggregate.version === 0) {
        return err(domainError(`${definition.type.toUpperCase()}.NOT_FOUND`, `${definition.type} ${aggregateId} does not exist`));
      }
      const decided = span.step('decide', () => aggregate.execute(spec.decide));
      if (decided.isErr()) return err(decided.error);
      // Nothing to do: nothing to append, and the outcome is recorded like a refusal.
      if (decided.value.length === 0) return ok(outcomeOf(spec, aggregate.version, decided.value));
      const saved = await this.save(aggregate, spec, decided.value, metadata, held, span);
      if (saved.isOk()) return saved;
      if (saved.error.code !== CONFLICT || attempt >= this.maxAttempts) return saved;
      this.metrics.record('CommandConflictRetries', 1, 'Count', { AggregateType: definition.type });
      span.conflictRetried();
      // Jittered back-off spreads racing writers apart so that each retry has a chance to win.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** attempt));
    }
  }

  /**
   * Decides on a guessed state and appends expecting its version. The outcome when that settles the command
   * (the append landed, or failed other than by a conflict); null when the stored state must decide.
   */
  private async onGuess<S, E extends DomainEvent>(
    guess: Aggregate<S, E>,
    spec: CommandSpec<S, E>,
    metadata: EventMetadata,
    held: KeyClaim | null,
    span: CommandSpan,
  ): Promise<Result<CommandOutcome, CommandError> | null> {
    const decided = span.step('decide', () => guess.execute(spec.decide));
    if (decided.isErr() || decided.value.length === 0) return null;
    const saved = await this.save(guess, spec, decided.value, metadata, held, span);
    if (saved.isOk() || saved.error.code !== CONFLICT) return saved;
    // A cached state overtaken by a rival's commit is a conflict retried; a creation meeting an existing stream is not.
    if (guess.persistedVersion > 0) {
      this.metrics.record('CommandConflictRetries', 1, 'Count', { AggregateType: spec.definition.type });
      span.conflictRetried();
    }
    return null;
  }

  /** Appends what was decided; under a key, with the outcome it will have, so that both commit together. */
  private async save<S, E extends DomainEvent>(
    aggregate: Aggregate<S, E>,
    spec: CommandSpec<S, E>,
    decided: readonly E[],
    metadata: EventMetadata,
    held: KeyClaim | null,
    span: CommandSpan,
  ): Promise<Result<CommandOutcome, CommandError>> {
    // The append expects exactly the version the aggregate was decided on, so the version after it is known now.
    const outcome = outcomeOf(spec, aggregate.persistedVersion + decided.length, decided);
    const idempotency = held === null ? undefined : { ...held, outcome: { ok: true, value: outcome } satisfies Stored };
    // The command's span is the creation context of its events (the messaging conventions' create): the relay and
    // every consumer link back to it. With tracing off the metadata is passed on as it is.
    const created = withTraceContext(metadata, span.context);
    const saved = await span.step('append', () => this.repository.save(aggregate, created, idempotency === undefined ? {} : { idempotency }));
    if (saved.isErr()) return err(saved.error);
    if (saved.value.nextVersion !== outcome.version) {
      throw new Error(`stream ${saved.value.streamId} is at version ${saved.value.nextVersion} after an append expected to leave it at ${outcome.version}`);
    }
    return ok(outcome);
  }
}

const outcomeOf = <S, E extends DomainEvent>(spec: CommandSpec<S, E>, version: number, events: readonly DomainEvent[]): CommandOutcome => ({
  aggregateId: spec.aggregateId,
  streamId: streamIdOf(spec.definition.type, spec.aggregateId),
  version,
  eventTypes: events.map((event) => event.type),
});
