import type { DeadlineScheduler } from '../ports/deadline-scheduler.js';
import type { Metrics } from '../ports/metrics.js';
import type { Clock } from '../ports/runtime.js';
import type { Subscription, SubscriptionStatus } from '../subscriptions/subscription.js';
import { FULFILMENT_WORKFLOW } from './fulfilment-inputs.js';
import { fulfilmentOf } from './fulfilment-view.js';
import type { OrderFulfilmentRunner } from './order-fulfilment-runner.js';

export interface StuckWorkflow {
  readonly orderId: string;
  readonly deadlineId: string;
  readonly dueAt: string;
  readonly overdueMs: number;
  readonly step: string;
}

const DIMENSIONS = { Workflow: FULFILMENT_WORKFLOW };
/** Settling in tests and the demo stops after this many rounds: a workflow that keeps producing work is a bug. */
const MAX_SETTLE_ROUNDS = 100;

/**
 * The order-fulfilment workflow as the service runs it: the feed subscription (one holder across instances) and a
 * poller of due deadlines (any instance; the scheduler hands each deadline to one), plus what operators read.
 */
export class OrderFulfilmentService {
  #deadlineTimer: NodeJS.Timeout | null = null;
  #ticking: Promise<unknown> = Promise.resolve();
  #lastDeadlineError: string | null = null;

  constructor(
    readonly runner: OrderFulfilmentRunner,
    private readonly subscription: Subscription,
    private readonly deadlines: DeadlineScheduler,
    private readonly metrics: Metrics,
    private readonly clock: Clock,
  ) {}

  /** Polls the feed every `intervalMs` and the deadlines every `deadlineIntervalMs` until `stop()`. */
  start(intervalMs: number, deadlineIntervalMs = 1_000): void {
    this.subscription.start(intervalMs);
    if (this.#deadlineTimer !== null) return;
    const tick = (): void => {
      this.#ticking = this.fireDueDeadlines()
        .then(() => this.refreshGauges())
        .then(
          () => {
            this.#lastDeadlineError = null;
          },
          (error: unknown) => {
            // Retried on the next tick: a deadline fires late, never twice (the scheduler holds it).
            this.#lastDeadlineError = error instanceof Error ? error.message : String(error);
          },
        )
        .then(() => {
          if (this.#deadlineTimer !== null) this.#deadlineTimer = setTimeout(tick, deadlineIntervalMs);
        });
    };
    this.#deadlineTimer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    if (this.#deadlineTimer !== null) clearTimeout(this.#deadlineTimer);
    this.#deadlineTimer = null;
    await this.#ticking;
    await this.subscription.stop();
  }

  status(): SubscriptionStatus & { readonly deadlines: string | null } {
    return { ...this.subscription.status(), deadlines: this.#lastDeadlineError };
  }

  fireDueDeadlines(): Promise<number> {
    return this.runner.fireDueDeadlines();
  }

  /** Runs the workflow until nothing is left to do now: every committed event handled, every due deadline fired. */
  async settle(): Promise<number> {
    let total = 0;
    for (let round = 0; round < MAX_SETTLE_ROUNDS; round += 1) {
      const done = (await this.subscription.catchUp()) + (await this.fireDueDeadlines());
      if (done === 0) return total;
      total += done;
    }
    throw new Error(`the order-fulfilment workflow was still busy after ${MAX_SETTLE_ROUNDS} rounds`);
  }

  /** Hands every stored event to the workflow again (what it handled before is recognised), then resumes from the start of the feed. */
  replayAll(): Promise<void> {
    return this.runner.recoverExpired();
  }

  view(orderId: string) {
    return fulfilmentOf(this.runner, this.deadlines, orderId);
  }

  /** Workflows in flight past their deadline, oldest first, with the step each is stuck at. */
  async stuck(limit = 100): Promise<StuckWorkflow[]> {
    const now = this.clock.now();
    const overdue = await this.deadlines.overdue(now, limit);
    const mine = overdue.filter((deadline) => deadline.workflow === FULFILMENT_WORKFLOW);
    return Promise.all(
      mine.map(async (deadline) => {
        const { workflow } = await this.runner.load(deadline.key);
        return { orderId: deadline.key, deadlineId: deadline.id, dueAt: deadline.dueAt, overdueMs: Date.parse(now) - Date.parse(deadline.dueAt), step: workflow.state.step };
      }),
    );
  }

  async refreshGauges(): Promise<void> {
    const now = this.clock.now();
    const summary = await this.deadlines.summary(FULFILMENT_WORKFLOW, now);
    this.metrics.record('WorkflowsInFlight', summary.pending, 'Count', DIMENSIONS);
    this.metrics.record('WorkflowsPastDeadline', summary.overdue, 'Count', DIMENSIONS);
    const oldest = summary.oldestSince === null ? 0 : Math.max(0, Date.parse(now) - Date.parse(summary.oldestSince));
    this.metrics.record('WorkflowOldestInFlight', oldest, 'Milliseconds', DIMENSIONS);
  }
}
