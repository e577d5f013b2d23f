import { err, ok, type Result } from 'neverthrow';
import type { AggregateDefinition, DomainError, DomainEvent } from '../../domain/index.js';
import type { Metrics } from '../ports/metrics.js';
import type { Clock, IdGenerator } from '../ports/runtime.js';
import { NO_TRACING, type CommandSpan, type CommandSpanOutcome, type Tracing } from '../ports/tracing.js';
import type { AggregateRepository } from '../repository/aggregate-repository.js';
import { refuseCardNumbers, type CardNumberRule } from './card-number-guard.js';
import type { CommandError, CommandOutcome } from './command-error.js';
import type { CommandContext, CommandExecutor, CommandSpec, Expectation } from './command-executor.js';

/** A command as a transport sends it: plain data, discriminated by `type`. */
export interface Command {
  readonly type: string;
}

/** What every transport and workflow holds: something that handles one aggregate's commands. */
export interface HandlesCommands<C extends Command> {
  handle(command: C, context: CommandContext): Promise<Result<CommandOutcome, CommandError>>;
}

/** Reads other aggregates for a command's facts, through the repository (which refreshes its cache). */
export interface FactsReader {
  /** The aggregate's current state, read from the store; null when it has no events. */
  current<S, E extends DomainEvent>(definition: AggregateDefinition<S, E>, id: string): Promise<Result<S | null, CommandError>>;
  /**
   * The aggregate as this process last loaded or saved it, reading nothing; null when not cached. It may be stale,
   * so it only serves facts that never revert once true (a registered customer stays registered).
   */
  cached<S, E extends DomainEvent>(definition: AggregateDefinition<S, E>, id: string): S | null;
}

/** What the handler adds to a transport's command for the domain: the time, an id generator, the facts it loaded. */
export interface Additions<F> {
  readonly now: string;
  readonly ids: IdGenerator;
  readonly facts: F;
}

/**
 * How one aggregate's commands reach its decider. `C` is what transports send, `D` what the domain decides on
 * (C plus the time, minted ids and facts), `F` the facts read from other aggregates.
 */
export interface DeciderBinding<C extends Command, S, E extends DomainEvent, D, F = undefined> {
  readonly definition: AggregateDefinition<S, E>;
  /** The id of the aggregate a command is for. */
  readonly aggregateIdOf: (command: C) => string;
  /** What a command expects of its aggregate (see CommandExecutor): one answer for all, or one per command. */
  readonly expects: Expectation | ((command: C) => Expectation);
  /** What an idempotency key is checked against; the whole command when absent. */
  readonly fingerprint?: (command: C) => unknown;
  /**
   * Loads facts from OTHER aggregates before the domain decides, once per command. The domain decides on them as
   * they were read: a rule that relies on them is checked on the other aggregate's current state at decision time,
   * not transactionally across aggregates. Absent when the commands need no facts (`F` is then undefined).
   */
  readonly facts?: (command: C, reader: FactsReader) => Promise<Result<F, CommandError>>;
  /** The domain's command: called once per command, so ids minted here stay the same across conflict retries. */
  readonly toDomain: (command: C, additions: Additions<F>) => D;
  readonly decide: (command: D, state: S) => Result<readonly E[], DomainError>;
  /** How a command carrying a card number is refused (PCI DSS), before anything else happens to it. */
  readonly cardNumbers: CardNumberRule;
}

export interface CommandHandlerDeps {
  readonly executor: CommandExecutor;
  readonly repository: AggregateRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Each command's span (load, decide, append); none when absent. */
  readonly tracing?: Tracing;
  /** Where `CommandsFailed` goes (commands the store failed, not those a rule refused); none when absent. */
  readonly metrics?: Metrics;
}

type Prepare<C, S, E extends DomainEvent> = (command: C) => Promise<Result<CommandSpec<S, E>, CommandError>>;
type Guard<C> = (command: C, context: CommandContext) => DomainError | null;

/** What a command's span is named by: its aggregate and its type. */
type Subject<C> = (command: C) => { aggregateType: string; aggregateId: string; command: string };

/** What the command came to, for its span. */
const outcomeOf = (result: Result<CommandOutcome, CommandError>): CommandSpanOutcome =>
  result.isErr()
    ? { kind: 'refused', code: result.error.code }
    : result.value.eventTypes.length === 0
      ? { kind: 'unchanged' }
      : { kind: 'accepted', version: result.value.version, events: result.value.eventTypes.length };

const readerOver = (repository: AggregateRepository): FactsReader => ({
  async current(definition, id) {
    const loaded = await repository.load(definition, id);
    if (loaded.isErr()) return err(loaded.error);
    return ok(loaded.value.version === 0 ? null : loaded.value.state);
  },
  cached: (definition, id) => repository.cached(definition, id)?.state ?? null,
});

/**
 * One aggregate's command handler, the same for every aggregate: load facts, add the time, then let the executor
 * load, decide, append and retry (with its idempotency and cache behaviour).
 */
export class CommandHandler<C extends Command, S, E extends DomainEvent> implements HandlesCommands<C> {
  private constructor(
    private readonly executor: CommandExecutor,
    private readonly prepare: Prepare<C, S, E>,
    private readonly guard: Guard<C>,
    private readonly subject: Subject<C>,
    private readonly tracing: Tracing,
    private readonly failed: (aggregateType: string, code: string) => void,
  ) {}

  static of<C extends Command, S, E extends DomainEvent, D, F = undefined>(binding: DeciderBinding<C, S, E, D, F>, deps: CommandHandlerDeps): CommandHandler<C, S, E> {
    const reader = readerOver(deps.repository);
    const prepare: Prepare<C, S, E> = async (command) => {
      // Without a facts step there are no facts: F is undefined then.
      const facts = binding.facts === undefined ? ok(undefined as F) : await binding.facts(command, reader);
      if (facts.isErr()) return err(facts.error);
      const decided = binding.toDomain(command, { now: deps.clock.now(), ids: deps.ids, facts: facts.value });
      return ok({
        definition: binding.definition,
        aggregateId: binding.aggregateIdOf(command),
        fingerprint: binding.fingerprint?.(command) ?? command,
        expects: typeof binding.expects === 'function' ? binding.expects(command) : binding.expects,
        decide: (state: S) => binding.decide(decided, state),
      });
    };
    const subject: Subject<C> = (command) => ({ aggregateType: binding.definition.type, aggregateId: String(binding.aggregateIdOf(command) ?? ''), command: String(command.type) });
    return new CommandHandler(deps.executor, prepare, (command, context) => refuseCardNumbers(binding.cardNumbers, command, context), subject, deps.tracing ?? NO_TRACING, (aggregateType, code) =>
      deps.metrics?.record('CommandsFailed', 1, 'Count', { AggregateType: aggregateType, Code: code }),
    );
  }

  /** Within the command's span: its facts, then the executor's load, decide and append, each a step of it. */
  handle(command: C, context: CommandContext): Promise<Result<CommandOutcome, CommandError>> {
    const subject = this.subject(command);
    return this.tracing.command(context.trace === undefined ? subject : { ...subject, parent: context.trace }, async (span) => {
      const result = await this.#handle(command, context, span).catch((error: unknown) => {
        this.failed(subject.aggregateType, 'UNEXPECTED');
        throw error;
      });
      span.settled(outcomeOf(result));
      // The store failing a command (down, conflicts past the retries) is an operator's matter; a rule's refusal is the client's.
      if (result.isErr() && result.error.code.startsWith('EVENT_STORE.')) this.failed(subject.aggregateType, result.error.code);
      return result;
    });
  }

  async #handle(command: C, context: CommandContext, span: CommandSpan): Promise<Result<CommandOutcome, CommandError>> {
    const cardNumber = this.guard(command, context);
    if (cardNumber !== null) return err(cardNumber);
    const spec = await this.prepare(command);
    return spec.isErr() ? err(spec.error) : this.executor.execute(spec.value, context, span);
  }
}
