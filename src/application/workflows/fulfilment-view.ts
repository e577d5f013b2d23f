import { err, ok, type Result } from 'neverthrow';
import type { FulfilmentEvent, FulfilmentOutcome, FulfilmentStep } from '../../domain/index.js';
import type { DeadlineScheduler } from '../ports/deadline-scheduler.js';
import { FULFILMENT_WORKFLOW } from './fulfilment-inputs.js';
import type { OrderFulfilmentRunner } from './order-fulfilment-runner.js';

export interface FulfilmentView {
  readonly orderId: string;
  readonly step: FulfilmentStep;
  readonly outcome: FulfilmentOutcome | null;
  readonly paymentId: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly cancelReason: string | null;
  /** The deadline the workflow waits on, as the scheduler holds it; null once finished. */
  readonly pendingDeadline: { readonly id: string; readonly dueAt: string } | null;
  /** Every input handled, oldest first: what happened, when, the step it led to and what was sent. */
  readonly history: readonly { readonly at: string; readonly input: string; readonly step: FulfilmentStep; readonly sent: readonly string[] }[];
}

export type FulfilmentQueryError = { readonly code: 'FULFILMENT.NOT_FOUND'; readonly message: string };

/** The fulfilment of one order, read from its workflow's stream (consistent: not a projection). */
export const fulfilmentOf = async (runner: OrderFulfilmentRunner, deadlines: DeadlineScheduler, orderId: string): Promise<Result<FulfilmentView, FulfilmentQueryError>> => {
  const { workflow, events } = await runner.load(orderId);
  if (workflow.version === 0) {
    return err({ code: 'FULFILMENT.NOT_FOUND', message: `no fulfilment workflow runs for order ${orderId} (unknown order, placed before workflows ran, or not picked up yet)` });
  }
  const state = workflow.state;
  const pending = await deadlines.pendingFor(FULFILMENT_WORKFLOW, orderId);
  const deadline = pending.find((d) => d.id === state.deadline?.id) ?? null;
  return ok({
    orderId,
    step: state.step,
    outcome: state.outcome,
    paymentId: state.paymentId,
    startedAt: state.startedAt,
    finishedAt: state.finishedAt,
    cancelReason: state.cancelReason,
    pendingDeadline: deadline === null ? null : { id: deadline.id, dueAt: deadline.dueAt },
    history: events.map((event) => {
      const data = event.data as FulfilmentEvent['data'];
      return { at: event.occurredAt, input: data.input.type, step: data.step, sent: data.outputs.map((output) => output.kind) };
    }),
  });
};
