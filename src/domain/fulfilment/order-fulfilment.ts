import type { AggregateDefinition } from '../shared/aggregate.js';
import type { Money } from '../shared/money.js';
import { millisAfter } from '../shared/time.js';
import {
  FULFILMENT_EVENT_TYPES,
  type FulfilmentEvent,
  type FulfilmentInput,
  type FulfilmentOutcome,
  type FulfilmentOutput,
  type FulfilmentStep,
  type StockLine,
} from './fulfilment-messages.js';

/**
 * The order-fulfilment workflow (a process manager), in Emmett's shape: `decide(input, state) -> events` carrying
 * the outputs, `evolve(state, event)`, `initialState`. Its state is event-sourced in a stream of its own per order.
 *
 * Reserve every line -> request and charge the payment (once a payment method is known) -> confirm the order with
 * that payment -> allocate the stock. Every way out before the end compensates: reservations are released, a
 * payment still pending is cancelled, a captured one is refunded, the order is cancelled with the reason.
 */
export interface FulfilmentState {
  readonly step: FulfilmentStep;
  readonly outcome: FulfilmentOutcome | null;
  readonly lines: readonly StockLine[];
  readonly total: Money | null;
  readonly paymentId: string | null;
  readonly paymentMethodToken: string | null;
  readonly paymentRequested: boolean;
  /** What the workflow's payment captured; null until it succeeded. */
  readonly paid: Money | null;
  /** SKUs this order holds reserved (not yet allocated or released). */
  readonly reserved: readonly string[];
  readonly allocated: readonly string[];
  /** The one deadline pending while the workflow is in flight: for the payment, then for confirming and allocating. */
  readonly deadline: { readonly id: string; readonly dueAt: string } | null;
  readonly completionDeadlineId: string | null;
  readonly completionTimeoutMs: number;
  readonly cancelReason: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** Ids of every input recorded: a redelivered one is recognised. A workflow sees a few dozen at most. */
  readonly handledInputs: readonly string[];
}

/** An input as it reaches `decide`: with an id (the source event's, or derived from it) and when it happened. */
export interface ReceivedInput {
  readonly id: string;
  readonly at: string;
  readonly input: FulfilmentInput;
}

const IN_FLIGHT: ReadonlySet<FulfilmentStep> = new Set(['RESERVING_STOCK', 'AWAITING_PAYMENT_METHOD', 'AWAITING_PAYMENT', 'CONFIRMING', 'ALLOCATING']);
const BEFORE_PAYMENT: ReadonlySet<FulfilmentStep> = new Set(['RESERVING_STOCK', 'AWAITING_PAYMENT_METHOD', 'AWAITING_PAYMENT']);

export const isInFlight = (state: FulfilmentState): boolean => IN_FLIGHT.has(state.step);
export const isFinished = (state: FulfilmentState): boolean => state.step === 'COMPLETED' || state.step === 'CANCELLED';

const initialState = (): FulfilmentState => ({
  step: 'NOT_STARTED',
  outcome: null,
  lines: [],
  total: null,
  paymentId: null,
  paymentMethodToken: null,
  paymentRequested: false,
  paid: null,
  reserved: [],
  allocated: [],
  deadline: null,
  completionDeadlineId: null,
  completionTimeoutMs: 0,
  cancelReason: null,
  startedAt: null,
  finishedAt: null,
  handledInputs: [],
});

type Advanced = { readonly state: FulfilmentState; readonly outputs: readonly FulfilmentOutput[] };

const without = (list: readonly string[], item: string): string[] => list.filter((x) => x !== item);
const withItem = (list: readonly string[], item: string): string[] => (list.includes(item) ? [...list] : [...list, item]);

const requestPayment = (state: FulfilmentState): Advanced => {
  const { paymentId, total, paymentMethodToken } = state;
  if (paymentId === null || total === null || paymentMethodToken === null) return { state: { ...state, step: 'AWAITING_PAYMENT_METHOD' }, outputs: [] };
  const charge = { paymentId, amount: total, paymentMethodToken };
  return {
    state: { ...state, step: 'AWAITING_PAYMENT', paymentRequested: true },
    outputs: [{ kind: 'RequestPayment', ...charge }, { kind: 'ChargePayment', ...charge }],
  };
};

/**
 * Undoes what the workflow did so far and finishes it. `orderCancelled`: the order is cancelled already (by the
 * customer), so no CancelOrder is sent.
 */
const compensate = (state: FulfilmentState, reason: string, outcome: FulfilmentOutcome, orderCancelled = false): Advanced => {
  const outputs: FulfilmentOutput[] = [];
  if (state.paymentId !== null && state.paid !== null) outputs.push({ kind: 'RefundPayment', paymentId: state.paymentId, amount: state.paid.amount, reason });
  else if (state.paymentId !== null && state.paymentRequested) outputs.push({ kind: 'CancelPayment', paymentId: state.paymentId, reason });
  for (const sku of state.reserved) outputs.push({ kind: 'ReleaseStock', sku });
  if (state.deadline !== null) outputs.push({ kind: 'CancelDeadline', deadlineId: state.deadline.id });
  if (!orderCancelled) outputs.push({ kind: 'CancelOrder', reason });
  return { state: { ...state, step: 'CANCELLED', outcome, reserved: [], deadline: null, cancelReason: reason }, outputs };
};

const finishIfAllocated = (state: FulfilmentState): Advanced => {
  if (!state.lines.every((line) => state.allocated.includes(line.sku))) return { state, outputs: [] };
  const outputs: FulfilmentOutput[] = state.deadline === null ? [] : [{ kind: 'CancelDeadline', deadlineId: state.deadline.id }];
  return { state: { ...state, step: 'COMPLETED', outcome: 'COMPLETED', deadline: null }, outputs };
};

const started = (input: Extract<FulfilmentInput, { type: 'OrderPlaced' }>, state: FulfilmentState, at: string): Advanced => {
  const deadline = { id: input.deadlineIds.payment, dueAt: input.paymentDueAt };
  return {
    state: {
      ...state,
      step: 'RESERVING_STOCK',
      lines: input.lines,
      total: input.total,
      paymentId: input.paymentId,
      deadline,
      completionDeadlineId: input.deadlineIds.completion,
      completionTimeoutMs: input.completionTimeoutMs,
    },
    outputs: [{ kind: 'ScheduleDeadline', deadlineId: deadline.id, dueAt: deadline.dueAt, since: at }, ...input.lines.map((line): FulfilmentOutput => ({ kind: 'ReserveStock', ...line }))],
  };
};

/**
 * After the workflow finished: stragglers need undoing (stock reserved or a payment captured too late), and a
 * completed order cancelled before it ships is refunded (its allocated stock stays with the warehouse to put back).
 */
const afterFinish = (state: FulfilmentState, input: FulfilmentInput): Advanced | null => {
  if (state.step === 'COMPLETED') {
    if (input.type !== 'OrderCancelled' || state.paymentId === null || state.paid === null) return null;
    return { state: { ...state, cancelReason: input.reason }, outputs: [{ kind: 'RefundPayment', paymentId: state.paymentId, amount: state.paid.amount, reason: input.reason }] };
  }
  if (state.step !== 'CANCELLED') return null;
  switch (input.type) {
    case 'StockReserved':
      return { state, outputs: [{ kind: 'ReleaseStock', sku: input.sku }] };
    case 'PaymentSucceeded':
      return { state, outputs: [{ kind: 'RefundPayment', paymentId: input.paymentId, amount: input.amount.amount, reason: `order cancelled: ${state.cancelReason ?? 'cancelled'}` }] };
    default:
      return null;
  }
};

/** The input's effect on the state and what it asks for; null when the input changes nothing (it is not recorded). */
const advance = (state: FulfilmentState, input: FulfilmentInput, at: string): Advanced | null => {
  if (state.step === 'NOT_STARTED') return input.type === 'OrderPlaced' ? started(input, state, at) : null;
  if (!isInFlight(state)) return afterFinish(state, input);
  switch (input.type) {
    case 'OrderPlaced':
      return null;
    case 'PaymentMethodProvided': {
      if (state.paymentMethodToken !== null) return null;
      const withToken = { ...state, paymentMethodToken: input.paymentMethodToken };
      return state.step === 'AWAITING_PAYMENT_METHOD' ? requestPayment(withToken) : { state: withToken, outputs: [] };
    }
    case 'StockReserved': {
      if (state.reserved.includes(input.sku) || !state.lines.some((line) => line.sku === input.sku)) return null;
      const next = { ...state, reserved: withItem(state.reserved, input.sku) };
      const allReserved = state.step === 'RESERVING_STOCK' && next.lines.every((line) => next.reserved.includes(line.sku));
      return allReserved ? requestPayment(next) : { state: next, outputs: [] };
    }
    case 'StockReleased':
      return state.reserved.includes(input.sku) ? { state: { ...state, reserved: without(state.reserved, input.sku) }, outputs: [] } : null;
    case 'StockReservationRefused':
      return BEFORE_PAYMENT.has(state.step) ? compensate(state, `${input.sku} could not be reserved: ${input.message}`, 'COMPENSATED') : null;
    case 'PaymentSucceeded': {
      if (input.paymentId !== state.paymentId || state.paid !== null) return null;
      const deadline = { id: state.completionDeadlineId ?? `${state.paymentId}:completion`, dueAt: millisAfter(at, state.completionTimeoutMs) };
      const outputs: FulfilmentOutput[] = [
        ...(state.deadline === null ? [] : [{ kind: 'CancelDeadline', deadlineId: state.deadline.id } as const]),
        { kind: 'ScheduleDeadline', deadlineId: deadline.id, dueAt: deadline.dueAt, since: state.startedAt ?? at },
        { kind: 'ConfirmOrder', paymentId: input.paymentId },
      ];
      return { state: { ...state, step: 'CONFIRMING', paid: input.amount, deadline }, outputs };
    }
    case 'PaymentDeclined':
      // A declined payment is finished: nothing to cancel or refund.
      return input.paymentId === state.paymentId && state.paid === null ? compensate({ ...state, paymentRequested: false }, `payment declined: ${input.reason}`, 'COMPENSATED') : null;
    case 'OrderConfirmed':
      if (state.step !== 'CONFIRMING') return null;
      return { state: { ...state, step: 'ALLOCATING' }, outputs: state.reserved.map((sku): FulfilmentOutput => ({ kind: 'AllocateStock', sku })) };
    case 'StockAllocated': {
      if (state.allocated.includes(input.sku)) return null;
      const next = { ...state, reserved: without(state.reserved, input.sku), allocated: withItem(state.allocated, input.sku) };
      return state.step === 'ALLOCATING' ? finishIfAllocated(next) : { state: next, outputs: [] };
    }
    case 'OrderCancelled':
      return compensate(state, input.reason, 'COMPENSATED', true);
    case 'DeadlinePassed':
      if (state.deadline === null || input.deadlineId !== state.deadline.id) return null;
      if (BEFORE_PAYMENT.has(state.step)) return compensate(state, 'no payment arrived before the deadline', 'TIMED_OUT');
      // Paid but not confirmed and allocated in time: send the step's commands again (the deadline stays, so the
      // workflow is listed as stuck until it moves on).
      return {
        state,
        outputs: state.step === 'CONFIRMING' && state.paymentId !== null ? [{ kind: 'ConfirmOrder', paymentId: state.paymentId }] : state.reserved.map((sku): FulfilmentOutput => ({ kind: 'AllocateStock', sku })),
      };
    case 'StepRefused':
      return onRefusal(state, input);
    default: {
      const unknown: never = input;
      throw new Error(`unhandled fulfilment input ${JSON.stringify(unknown)}`);
    }
  }
};

/** A command refused for good: before the payment is captured the order is given up; after, it is refunded too. */
const onRefusal = (state: FulfilmentState, input: Extract<FulfilmentInput, { type: 'StepRefused' }>): Advanced | null => {
  switch (input.step) {
    case 'RequestPayment':
    case 'ConfirmOrder':
      return compensate(state, `${input.step === 'RequestPayment' ? 'the payment could not be requested' : 'the order could not be confirmed'}: ${input.message}`, 'COMPENSATED');
    default:
      // Releases, refunds, cancellations and allocations refused for good need a person: the workflow stays where it
      // is and its deadline lists it as stuck.
      return null;
  }
};

/** The events recording one input: none when it was recorded before or changes nothing. */
export const decideFulfilment = (received: ReceivedInput, state: FulfilmentState): FulfilmentEvent[] => {
  if (state.handledInputs.includes(received.id)) return [];
  const advanced = advance(state, received.input, received.at);
  if (advanced === null) return [];
  const { step, outcome } = advanced.state;
  return [{ type: 'FulfilmentInputHandled', occurredAt: received.at, data: { inputId: received.id, input: received.input, step, outcome, outputs: [...advanced.outputs] } }];
};

const evolve = (state: FulfilmentState, event: FulfilmentEvent): FulfilmentState => {
  const { inputId, input } = event.data;
  const next = advance(state, input, event.occurredAt)?.state ?? state;
  return {
    ...next,
    handledInputs: [...state.handledInputs, inputId],
    startedAt: state.startedAt ?? event.occurredAt,
    finishedAt: state.finishedAt ?? (isFinished(next) ? event.occurredAt : null),
  };
};

export const OrderFulfilment: AggregateDefinition<FulfilmentState, FulfilmentEvent> = {
  type: 'OrderFulfilment',
  stateSchemaVersion: 1,
  eventTypes: FULFILMENT_EVENT_TYPES,
  initialState,
  evolve,
};
