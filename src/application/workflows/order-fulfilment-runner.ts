import { Aggregate, decideFulfilment, isFinished, OrderFulfilment, Payment, type FulfilmentEvent, type FulfilmentOutput, type FulfilmentState, type ReceivedInput } from '../../domain/index.js';
import { mapBounded } from '../bounded-map.js';
import { streamIdOf, type EventEnvelope } from '../events/envelope.js';
import type { CheckpointStore } from '../ports/checkpoint-store.js';
import type { DeadlineScheduler } from '../ports/deadline-scheduler.js';
import type { EventArchive } from '../ports/event-archive.js';
import type { EventStore } from '../ports/event-store.js';
import { eventLogFields, type Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { PaymentGateway } from '../ports/payment-gateway.js';
import type { Clock } from '../ports/runtime.js';
import { NO_TRACING, type TraceContext, type Tracing } from '../ports/tracing.js';
import { traceContextOf, withTraceContext } from '../events/trace-context.js';
import type { AggregateRepository } from '../repository/aggregate-repository.js';
import type { CheckpointTarget, ConsumerOutcome, EventConsumer } from '../subscriptions/event-consumer.js';
import type { UpcasterRegistry } from '../upcasting/upcaster-registry.js';
import { carryOut, WorkflowStepUnavailableError, type FulfilmentCommandHandlers } from './fulfilment-effects.js';
import { FULFILMENT_WORKFLOW, inputOf, type FulfilmentTimeouts, type PaymentFacts } from './fulfilment-inputs.js';

export interface FulfilmentRunnerDeps {
  readonly store: EventStore;
  readonly archive: EventArchive;
  readonly repository: AggregateRepository;
  readonly checkpoints: CheckpointStore;
  readonly upcasters: UpcasterRegistry;
  readonly commands: FulfilmentCommandHandlers;
  readonly gateway: PaymentGateway;
  readonly deadlines: DeadlineScheduler;
  readonly metrics: Metrics;
  readonly clock: Clock;
  readonly logger: Logger;
  /** A process span per input, continuing the trace of the event it comes from; none when absent. */
  readonly tracing?: Tracing;
}

export interface FulfilmentRunnerOptions extends FulfilmentTimeouts {
  /** This instance, as the holder of the deadlines it fires. */
  readonly owner: string;
  /** How long a fired deadline is held before another instance may fire it again (its holder died, or it is stuck). */
  readonly deadlineHoldMs: number;
  /** Orders whose inputs are handled at once within a batch (one order's inputs always in order). */
  readonly concurrency: number;
}

const DIMENSIONS = { Workflow: FULFILMENT_WORKFLOW };

/** An output with its place among its input's outputs: its idempotency key and its answer's id, whatever is skipped. */
interface Numbered {
  readonly output: FulfilmentOutput;
  readonly index: number;
}

const numbered = (outputs: readonly FulfilmentOutput[]): Numbered[] => outputs.map((output, index) => ({ output, index }));
const MAX_CONFLICTS = 10;

/** The workflow's stream, read whole (a few dozen events), and its state. */
interface Loaded {
  readonly workflow: Aggregate<FulfilmentState, FulfilmentEvent>;
  readonly events: readonly EventEnvelope[];
}

/**
 * Runs the order-fulfilment workflow: one more consumer of the committed-event feed (under its lease, from its
 * checkpoint, at least once), plus the deadlines that come due. Each input is recorded in the order's workflow
 * stream with what was decided, then the decided outputs are carried out. A redelivered input is recognised by
 * its id and its recorded outputs are carried out again under the same idempotency keys, so a crash at any point
 * resumes without repeating an effect.
 */
export class OrderFulfilmentRunner implements EventConsumer {
  readonly name = `workflow:${FULFILMENT_WORKFLOW}`;

  constructor(
    private readonly deps: FulfilmentRunnerDeps,
    private readonly options: FulfilmentRunnerOptions,
  ) {}

  async begin(): Promise<{ checkpointKey: string }> {
    return { checkpointKey: this.name };
  }

  async handle(events: readonly EventEnvelope[], checkpoint: CheckpointTarget | null): Promise<ConsumerOutcome> {
    const byOrder = new Map<string, { input: ReceivedInput; correlationId: string; created: TraceContext | null }[]>();
    for (const event of events) {
      const routed = await inputOf(this.deps.upcasters.upcast(event), this.options, this.#paymentFacts);
      if (routed === null) continue;
      if (this.deps.logger.isEnabled('debug')) this.deps.logger.debug('workflow received an event', { consumer: this.name, ...eventLogFields(event), orderId: routed.orderId, input: routed.input.type });
      const queue = byOrder.get(routed.orderId) ?? [];
      queue.push({ input: { id: event.eventId, at: event.occurredAt, input: routed.input }, correlationId: event.metadata.correlationId, created: traceContextOf(event.metadata) });
      byOrder.set(routed.orderId, queue);
    }
    await mapBounded([...byOrder], this.options.concurrency, async ([orderId, inputs]) => {
      for (const { input, correlationId, created } of inputs) await this.receive(orderId, input, correlationId, null, created);
    });
    if (checkpoint !== null) await this.deps.checkpoints.save(checkpoint.key, checkpoint.position, checkpoint.fence);
    return { status: 'handled', handled: events.length, lastRecordedAt: events.at(-1)?.recordedAt ?? null };
  }

  /** The feed trimmed records the workflow had not read: every stored event is offered again (what was handled is recognised). */
  async recoverExpired(): Promise<void> {
    await this.deps.archive.scan(async (events) => {
      await this.handle(events, null);
    });
    await this.deps.checkpoints.remove(this.name);
  }

  /**
   * Fires the deadlines due now: each becomes a DeadlinePassed input of its workflow. A deadline is removed once
   * its workflow finished or moved past it; one still current (paid but not yet confirmed and allocated) stays
   * held, listed as stuck, and fires again when its hold runs out. Returns how many fired.
   */
  async fireDueDeadlines(limit = 100): Promise<number> {
    const now = this.deps.clock.now();
    const due = await this.deps.deadlines.claimDue(now, limit, this.options.owner, this.options.deadlineHoldMs);
    await mapBounded(due, this.options.concurrency, async (deadline) => {
      const state = await this.receive(deadline.key, { id: `deadline:${deadline.id}`, at: now, input: { type: 'DeadlinePassed', deadlineId: deadline.id } }, `deadline:${deadline.id}`, deadline.id);
      if (isFinished(state) || state.deadline?.id !== deadline.id) await this.deps.deadlines.complete(deadline.id);
    });
    return due.length;
  }

  /**
   * Records one input in its workflow's stream (unless recorded before) and carries out what was decided, then what
   * the answers ask. `firing`: the deadline this input comes from. It is what brings the input again should this
   * stop half-way (as the feed does for its events), so it is removed only once everything is carried out, by the
   * caller, never by a CancelDeadline among the outputs.
   */
  receive(orderId: string, first: ReceivedInput, correlationId: string, firing: string | null = null, created: TraceContext | null = null): Promise<FulfilmentState> {
    // One input at a time, so one process span each, a child of the span that created its event (`created`): the
    // commands it sends are its children, and a whole checkout reads as one trace.
    const message = { id: first.id, type: first.input.type, context: created };
    return (this.deps.tracing ?? NO_TRACING).processOne({ consumer: this.name, message }, (span) => this.#receive(orderId, first, correlationId, firing, span.context));
  }

  async #receive(orderId: string, first: ReceivedInput, correlationId: string, firing: string | null, trace: TraceContext): Promise<FulfilmentState> {
    const queue: ReceivedInput[] = [first];
    let state: FulfilmentState | null = null;
    for (let received = queue.shift(); received !== undefined; received = queue.shift()) {
      const recorded = await this.#record(orderId, received, correlationId, trace);
      state = recorded.state;
      for (const { output, index } of recorded.outputs) {
        if (output.kind === 'CancelDeadline' && output.deadlineId === firing) continue;
        const answer = await carryOut(this.deps, output, { orderId, inputId: received.id, index, correlationId: recorded.correlationId });
        if (answer !== null) queue.push({ id: `${received.id}/${index}`, at: this.deps.clock.now(), input: answer });
      }
    }
    return state ?? OrderFulfilment.initialState();
  }

  /** The workflow as it stands, and the events that brought it there (for the fulfilment view). */
  async load(orderId: string): Promise<Loaded> {
    const events = await this.deps.store.readStream(streamIdOf(OrderFulfilment.type, orderId));
    const workflow = new Aggregate(OrderFulfilment, orderId);
    const loaded = workflow.loadFromHistory(events);
    if (loaded.isErr()) throw new Error(`${loaded.error.code}: ${loaded.error.message}`);
    return { workflow, events };
  }

  /**
   * Records the input and returns what to carry out, under the correlation id of the checkout that started the
   * workflow: every event of one order's fulfilment, whoever caused it (a webhook, a deadline), ties back to it.
   */
  async #record(orderId: string, received: ReceivedInput, inputCorrelation: string, trace: TraceContext): Promise<{ state: FulfilmentState; outputs: readonly Numbered[]; correlationId: string }> {
    for (let attempt = 1; ; attempt += 1) {
      const { workflow, events } = await this.load(orderId);
      const before = workflow.state;
      const correlationId = events[0]?.metadata.correlationId ?? inputCorrelation;
      if (before.handledInputs.includes(received.id)) {
        // Recorded before: the first delivery may have stopped half-way through its outputs.
        const first = events.find((event) => (event.data as FulfilmentEvent['data']).inputId === received.id);
        const outputs = numbered((first?.data as FulfilmentEvent['data'] | undefined)?.outputs ?? []);
        // A deadline since fired or cancelled would come back if scheduled again: only the current one is.
        return { state: before, outputs: outputs.filter(({ output }) => output.kind !== 'ScheduleDeadline' || output.deadlineId === before.deadline?.id), correlationId };
      }
      const decided = decideFulfilment(received, before);
      if (decided.length === 0) return { state: before, outputs: [], correlationId };
      for (const event of decided) workflow.raise(event);
      const saved = await this.deps.repository.save(workflow, withTraceContext({ correlationId, causationId: received.id, actor: FULFILMENT_WORKFLOW }, trace));
      if (saved.isOk()) {
        this.#count(before, workflow.state);
        const { step, outcome } = workflow.state;
        // The line is about the workflow's own event: its stream and version; the input (an event's id, or a deadline) caused it.
        this.deps.logger.info('workflow recorded an input', {
          consumer: this.name,
          streamId: saved.value.streamId,
          version: saved.value.nextVersion,
          orderId,
          input: received.input.type,
          step,
          outcome,
          correlationId,
          causationId: received.id,
        });
        return { state: workflow.state, outputs: numbered(decided.flatMap((event) => event.data.outputs)), correlationId };
      }
      const { code, message } = saved.error;
      // A rival (another instance firing a deadline) recorded an input first: decide again on what it left.
      if (code !== 'EVENT_STORE.CONCURRENCY_CONFLICT' || attempt >= MAX_CONFLICTS) throw new WorkflowStepUnavailableError(`recording ${received.input.type} for order ${orderId}: ${code}: ${message}`);
    }
  }

  #count(before: FulfilmentState, after: FulfilmentState): void {
    if (before.step === 'NOT_STARTED' && after.step !== 'NOT_STARTED') this.deps.metrics.record('WorkflowsStarted', 1, 'Count', DIMENSIONS);
    if (before.outcome === null && after.outcome !== null) this.deps.metrics.record('WorkflowsFinished', 1, 'Count', { ...DIMENSIONS, Outcome: after.outcome });
  }

  readonly #paymentFacts: PaymentFacts = async (paymentId) => {
    const loaded = await this.deps.repository.load(Payment, paymentId);
    if (loaded.isErr()) throw new Error(`${loaded.error.code}: ${loaded.error.message}`);
    return { orderId: loaded.value.state.orderId, amount: loaded.value.state.amount };
  };
}
