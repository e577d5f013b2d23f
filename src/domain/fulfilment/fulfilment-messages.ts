import type { DomainEvent } from '../shared/domain-event.js';
import type { Money } from '../shared/money.js';

/** One line of stock the workflow holds for the order: lines of the same SKU are reserved together. */
export interface StockLine {
  readonly sku: string;
  readonly quantity: number;
}

/**
 * What the order-fulfilment workflow reacts to: facts from the order, payment and inventory streams, the
 * answers to the commands it sent, and its own deadlines. The runner translates each into one of these.
 */
export type FulfilmentInput =
  | {
      readonly type: 'OrderPlaced';
      readonly lines: readonly StockLine[];
      readonly total: Money;
      /** The payment the workflow will request: its id is fixed here, so a retried request is the same payment. */
      readonly paymentId: string;
      readonly deadlineIds: { readonly payment: string; readonly completion: string };
      /** When a payment must have arrived (placing time plus the configured timeout, recorded so that a replay agrees). */
      readonly paymentDueAt: string;
      /** How long confirming and allocating may take once paid before the workflow counts as stuck. */
      readonly completionTimeoutMs: number;
    }
  | { readonly type: 'PaymentMethodProvided'; readonly paymentMethodToken: string }
  | { readonly type: 'StockReserved'; readonly sku: string }
  | { readonly type: 'StockReleased'; readonly sku: string }
  | { readonly type: 'StockReservationRefused'; readonly sku: string; readonly code: string; readonly message: string }
  | { readonly type: 'PaymentSucceeded'; readonly paymentId: string; readonly amount: Money }
  | { readonly type: 'PaymentDeclined'; readonly paymentId: string; readonly reason: string }
  | { readonly type: 'OrderConfirmed'; readonly paymentId: string | null }
  | { readonly type: 'StockAllocated'; readonly sku: string }
  | { readonly type: 'OrderCancelled'; readonly reason: string }
  | { readonly type: 'DeadlinePassed'; readonly deadlineId: string }
  /** A command the workflow sent was refused for good (not "already done", which counts as done). */
  | { readonly type: 'StepRefused'; readonly step: FulfilmentOutput['kind']; readonly code: string; readonly message: string };

/** What the workflow asks of the world: commands to aggregates, a charge at the gateway, deadlines. */
export type FulfilmentOutput =
  | { readonly kind: 'ReserveStock'; readonly sku: string; readonly quantity: number }
  | { readonly kind: 'ReleaseStock'; readonly sku: string }
  | { readonly kind: 'AllocateStock'; readonly sku: string }
  | { readonly kind: 'RequestPayment'; readonly paymentId: string; readonly amount: Money; readonly paymentMethodToken: string }
  | { readonly kind: 'ChargePayment'; readonly paymentId: string; readonly amount: Money; readonly paymentMethodToken: string }
  | { readonly kind: 'CancelPayment'; readonly paymentId: string; readonly reason: string }
  | { readonly kind: 'RefundPayment'; readonly paymentId: string; readonly amount: number; readonly reason: string }
  | { readonly kind: 'ConfirmOrder'; readonly paymentId: string }
  | { readonly kind: 'CancelOrder'; readonly reason: string }
  /** `since`: when the workflow started, so that the scheduler can tell the age of the oldest one in flight. */
  | { readonly kind: 'ScheduleDeadline'; readonly deadlineId: string; readonly dueAt: string; readonly since: string }
  | { readonly kind: 'CancelDeadline'; readonly deadlineId: string };

/**
 * Where the workflow stands. In flight: RESERVING_STOCK, AWAITING_PAYMENT_METHOD, AWAITING_PAYMENT, CONFIRMING,
 * ALLOCATING. Finished: COMPLETED (confirmed and allocated) or CANCELLED (compensated).
 */
export type FulfilmentStep =
  | 'NOT_STARTED'
  | 'RESERVING_STOCK'
  | 'AWAITING_PAYMENT_METHOD'
  | 'AWAITING_PAYMENT'
  | 'CONFIRMING'
  | 'ALLOCATING'
  | 'COMPLETED'
  | 'CANCELLED';

/** How a finished workflow ended. */
export type FulfilmentOutcome = 'COMPLETED' | 'COMPENSATED' | 'TIMED_OUT';

/**
 * The one event of the workflow's own stream: an input it handled and what it decided (its outputs and the step
 * it moved to). An input's id is recorded with it, so a redelivered input is recognised and its outputs, already
 * decided, are sent again rather than decided again.
 */
export type FulfilmentInputHandled = DomainEvent<
  'FulfilmentInputHandled',
  {
    inputId: string;
    input: FulfilmentInput;
    step: FulfilmentStep;
    outcome: FulfilmentOutcome | null;
    outputs: FulfilmentOutput[];
  }
>;

export type FulfilmentEvent = FulfilmentInputHandled;

export const FULFILMENT_EVENT_TYPES: ReadonlySet<string> = new Set<FulfilmentEvent['type']>(['FulfilmentInputHandled']);
