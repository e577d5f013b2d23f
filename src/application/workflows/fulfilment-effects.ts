import type { Result } from 'neverthrow';
import type { FulfilmentInput, FulfilmentOutput } from '../../domain/index.js';
import type { CommandError, CommandOutcome } from '../commands/command-error.js';
import type { CommandContext } from '../commands/command-executor.js';
import type { DeadlineScheduler } from '../ports/deadline-scheduler.js';
import type { PaymentGateway } from '../ports/payment-gateway.js';
import type { TransientFailure } from '../ports/transient-failure.js';
import { FULFILMENT_WORKFLOW } from './fulfilment-inputs.js';

type Sent = Promise<Result<CommandOutcome, CommandError>>;

/** The commands the workflow sends, as the application's command handlers take them. */
export interface FulfilmentCommandHandlers {
  readonly orders: {
    handle(command: { type: 'ConfirmOrder'; orderId: string; paymentId: string } | { type: 'CancelOrder'; orderId: string; reason: string }, context: CommandContext): Sent;
  };
  readonly payments: {
    handle(
      command:
        | { type: 'RequestPayment'; paymentId: string; orderId: string; amount: number; currency: string; paymentMethodToken: string }
        | { type: 'CancelPayment'; paymentId: string; reason: string }
        | { type: 'RefundPayment'; paymentId: string; amount: number; reason: string },
      context: CommandContext,
    ): Sent;
  };
  readonly inventory: {
    handle(
      command:
        | { type: 'ReserveStock'; sku: string; orderId: string; quantity: number }
        | { type: 'ReleaseReservation'; sku: string; orderId: string }
        | { type: 'AllocateReservation'; sku: string; orderId: string },
      context: CommandContext,
    ): Sent;
  };
}

export class WorkflowStepUnavailableError extends Error implements TransientFailure {
  override readonly name = 'WorkflowStepUnavailableError';
  readonly transient = true as const;
}

/**
 * Refusals that mean the step was done already (by an earlier delivery whose idempotency record was lost, or by
 * someone else): the workflow goes on as if it succeeded. Its own input, when it needs one, comes from the feed.
 */
const ALREADY_DONE: Readonly<Partial<Record<FulfilmentOutput['kind'], ReadonlySet<string>>>> = {
  ReserveStock: new Set(['INVENTORY.ALREADY_RESERVED']),
  ReleaseStock: new Set(['INVENTORY.UNKNOWN_RESERVATION']),
  AllocateStock: new Set(['INVENTORY.UNKNOWN_RESERVATION']),
  RequestPayment: new Set(['PAYMENT.ALREADY_REQUESTED']),
  CancelPayment: new Set(['PAYMENT.CANNOT_CANCEL']),
  RefundPayment: new Set(['PAYMENT.CANNOT_REFUND', 'PAYMENT.REFUND_EXCEEDS_REMAINING']),
  ConfirmOrder: new Set(['ORDER.CANNOT_CONFIRM']),
  CancelOrder: new Set(['ORDER.CANNOT_CANCEL']),
};

/** Refusals that may pass: the batch is tried again later (the subscription backs off), never counted as an answer. */
const TRY_AGAIN = new Set(['IDEMPOTENCY.IN_PROGRESS', 'EVENT_STORE.UNAVAILABLE', 'EVENT_STORE.CONCURRENCY_CONFLICT']);

export interface EffectsDeps {
  readonly commands: FulfilmentCommandHandlers;
  readonly gateway: PaymentGateway;
  readonly deadlines: DeadlineScheduler;
}

/** Where an output comes from: its idempotency key and causation derive from the input that decided it. */
export interface OutputOrigin {
  readonly orderId: string;
  readonly inputId: string;
  readonly index: number;
  readonly correlationId: string;
}

/**
 * Carries out one decided output. Returns the input the answer makes for the workflow (a refusal it must react
 * to), or null. A command's idempotency key is `order-fulfilment:<order>:<input id>:<output index>`: sent again
 * after a crash or a redelivery, it returns the first outcome and appends nothing.
 */
export const carryOut = async (deps: EffectsDeps, output: FulfilmentOutput, origin: OutputOrigin): Promise<FulfilmentInput | null> => {
  const { orderId } = origin;
  const context: CommandContext = {
    metadata: { correlationId: origin.correlationId, causationId: origin.inputId, actor: FULFILMENT_WORKFLOW },
    idempotencyKey: `${FULFILMENT_WORKFLOW}:${orderId}:${origin.inputId}:${origin.index}`,
  };
  const answer = (sent: Awaited<Sent>): FulfilmentInput | null => {
    if (sent.isOk()) return null;
    const { code, message } = sent.error;
    if (TRY_AGAIN.has(code)) throw new WorkflowStepUnavailableError(`${output.kind} for order ${orderId}: ${code}: ${message}`);
    if (ALREADY_DONE[output.kind]?.has(code)) return output.kind === 'ReserveStock' ? { type: 'StockReserved', sku: output.sku } : null;
    if (output.kind === 'ReserveStock') return { type: 'StockReservationRefused', sku: output.sku, code, message };
    return { type: 'StepRefused', step: output.kind, code, message };
  };
  switch (output.kind) {
    case 'ReserveStock':
      return answer(await deps.commands.inventory.handle({ type: 'ReserveStock', sku: output.sku, orderId, quantity: output.quantity }, context));
    case 'ReleaseStock':
      return answer(await deps.commands.inventory.handle({ type: 'ReleaseReservation', sku: output.sku, orderId }, context));
    case 'AllocateStock':
      return answer(await deps.commands.inventory.handle({ type: 'AllocateReservation', sku: output.sku, orderId }, context));
    case 'RequestPayment':
      return answer(
        await deps.commands.payments.handle(
          { type: 'RequestPayment', paymentId: output.paymentId, orderId, amount: output.amount.amount, currency: output.amount.currency, paymentMethodToken: output.paymentMethodToken },
          context,
        ),
      );
    case 'ChargePayment':
      // The gateway charges once per key; its answer comes back as a webhook that completes the payment.
      await deps.gateway.charge({ paymentId: output.paymentId, orderId, amount: output.amount, paymentMethodToken: output.paymentMethodToken, idempotencyKey: `charge:${output.paymentId}`, correlationId: origin.correlationId });
      return null;
    case 'CancelPayment':
      return answer(await deps.commands.payments.handle({ type: 'CancelPayment', paymentId: output.paymentId, reason: output.reason }, context));
    case 'RefundPayment':
      return answer(await deps.commands.payments.handle({ type: 'RefundPayment', paymentId: output.paymentId, amount: output.amount, reason: output.reason }, context));
    case 'ConfirmOrder':
      return answer(await deps.commands.orders.handle({ type: 'ConfirmOrder', orderId, paymentId: output.paymentId }, context));
    case 'CancelOrder':
      return answer(await deps.commands.orders.handle({ type: 'CancelOrder', orderId, reason: output.reason }, context));
    case 'ScheduleDeadline':
      await deps.deadlines.schedule({ id: output.deadlineId, workflow: FULFILMENT_WORKFLOW, key: orderId, dueAt: output.dueAt, since: output.since });
      return null;
    case 'CancelDeadline':
      await deps.deadlines.cancel(output.deadlineId);
      return null;
    default: {
      const unknown: never = output;
      throw new Error(`unhandled fulfilment output ${JSON.stringify(unknown)}`);
    }
  }
};
