import { describe, expect, it } from 'vitest';
import { Aggregate, decideFulfilment, OrderFulfilment, type FulfilmentInput, type FulfilmentOutput, type FulfilmentState } from '../../../src/domain/index.js';

const AT = '2026-03-02T09:00:00.000Z';
const PAYMENT_DEADLINE = 'order-fulfilment:o-1:payment';
const COMPLETION_DEADLINE = 'order-fulfilment:o-1:completion';
const total = { amount: 4918, currency: 'EUR' };

const placed: FulfilmentInput = {
  type: 'OrderPlaced',
  lines: [
    { sku: 'A', quantity: 2 },
    { sku: 'B', quantity: 1 },
  ],
  total,
  paymentId: 'o-1:payment',
  deadlineIds: { payment: PAYMENT_DEADLINE, completion: COMPLETION_DEADLINE },
  paymentDueAt: '2026-03-02T09:15:00.000Z',
  completionTimeoutMs: 300_000,
};

/** Runs inputs through decide and evolve as the runner does, keeping every recorded event and each input's outputs. */
const workflow = () => {
  const aggregate = new Aggregate(OrderFulfilment, 'o-1');
  let n = 0;
  return {
    get state(): FulfilmentState {
      return aggregate.state;
    },
    get recorded() {
      return aggregate.uncommittedEvents;
    },
    receive(input: FulfilmentInput, id = `in-${(n += 1)}`): FulfilmentOutput[] {
      const events = decideFulfilment({ id, at: AT, input }, aggregate.state);
      for (const event of events) aggregate.raise(event);
      return events.flatMap((event) => event.data.outputs);
    },
  };
};

const reservedAndPaid = () => {
  const wf = workflow();
  wf.receive(placed);
  wf.receive({ type: 'PaymentMethodProvided', paymentMethodToken: 'tok_approve_1' });
  wf.receive({ type: 'StockReserved', sku: 'A' });
  wf.receive({ type: 'StockReserved', sku: 'B' });
  wf.receive({ type: 'PaymentSucceeded', paymentId: 'o-1:payment', amount: total });
  return wf;
};

describe('order fulfilment: the happy path', () => {
  it('reserves every line, then requests and charges the payment, confirms with it and allocates', () => {
    const wf = workflow();
    expect(wf.receive(placed)).toEqual([
      { kind: 'ScheduleDeadline', deadlineId: PAYMENT_DEADLINE, dueAt: '2026-03-02T09:15:00.000Z', since: AT },
      { kind: 'ReserveStock', sku: 'A', quantity: 2 },
      { kind: 'ReserveStock', sku: 'B', quantity: 1 },
    ]);
    expect(wf.receive({ type: 'PaymentMethodProvided', paymentMethodToken: 'tok_approve_1' })).toEqual([]);
    expect(wf.receive({ type: 'StockReserved', sku: 'A' })).toEqual([]);
    const charge = { paymentId: 'o-1:payment', amount: total, paymentMethodToken: 'tok_approve_1' };
    expect(wf.receive({ type: 'StockReserved', sku: 'B' })).toEqual([
      { kind: 'RequestPayment', ...charge },
      { kind: 'ChargePayment', ...charge },
    ]);
    expect(wf.state.step).toBe('AWAITING_PAYMENT');
    expect(wf.receive({ type: 'PaymentSucceeded', paymentId: 'o-1:payment', amount: total })).toEqual([
      { kind: 'CancelDeadline', deadlineId: PAYMENT_DEADLINE },
      { kind: 'ScheduleDeadline', deadlineId: COMPLETION_DEADLINE, dueAt: '2026-03-02T09:05:00.000Z', since: AT },
      { kind: 'ConfirmOrder', paymentId: 'o-1:payment' },
    ]);
    expect(wf.receive({ type: 'OrderConfirmed', paymentId: 'o-1:payment' })).toEqual([
      { kind: 'AllocateStock', sku: 'A' },
      { kind: 'AllocateStock', sku: 'B' },
    ]);
    expect(wf.receive({ type: 'StockAllocated', sku: 'A' })).toEqual([]);
    expect(wf.receive({ type: 'StockAllocated', sku: 'B' })).toEqual([{ kind: 'CancelDeadline', deadlineId: COMPLETION_DEADLINE }]);
    expect(wf.state).toMatchObject({ step: 'COMPLETED', outcome: 'COMPLETED', reserved: [], allocated: ['A', 'B'], deadline: null, finishedAt: AT });
  });

  it('waits for a payment method when the order came without one', () => {
    const wf = workflow();
    wf.receive(placed);
    wf.receive({ type: 'StockReserved', sku: 'A' });
    expect(wf.receive({ type: 'StockReserved', sku: 'B' })).toEqual([]);
    expect(wf.state.step).toBe('AWAITING_PAYMENT_METHOD');
    expect(wf.receive({ type: 'PaymentMethodProvided', paymentMethodToken: 'tok_x' }).map((o) => o.kind)).toEqual(['RequestPayment', 'ChargePayment']);
  });

  it('recognises a redelivered input and records nothing for it', () => {
    const wf = workflow();
    wf.receive(placed, 'evt-1');
    expect(wf.receive(placed, 'evt-1')).toEqual([]);
    expect(wf.recorded).toHaveLength(1);
  });

  it('records nothing for an input that changes nothing (a second reservation of the same SKU, another payment)', () => {
    const wf = workflow();
    wf.receive(placed);
    wf.receive({ type: 'StockReserved', sku: 'A' });
    wf.receive({ type: 'StockReserved', sku: 'A' });
    wf.receive({ type: 'PaymentSucceeded', paymentId: 'someone-elses', amount: total });
    expect(wf.recorded).toHaveLength(2);
  });

  it('ignores everything about an order whose workflow never started', () => {
    const wf = workflow();
    expect(wf.receive({ type: 'OrderCancelled', reason: 'x' })).toEqual([]);
    expect(wf.state.step).toBe('NOT_STARTED');
  });

  it('evolves from its recorded events to the state decide left', () => {
    const wf = reservedAndPaid();
    const replayed = new Aggregate(OrderFulfilment, 'o-1');
    replayed.loadFromHistory(wf.recorded.map((event, index) => ({ ...event, version: index + 1 })))._unsafeUnwrap();
    expect(replayed.state).toEqual(wf.state);
  });
});

describe('order fulfilment: compensation', () => {
  it('releases what it reserved and cancels the order when a line cannot be reserved', () => {
    const wf = workflow();
    wf.receive(placed);
    wf.receive({ type: 'StockReserved', sku: 'A' });
    expect(wf.receive({ type: 'StockReservationRefused', sku: 'B', code: 'INVENTORY.INSUFFICIENT_STOCK', message: 'only 0 available' })).toEqual([
      { kind: 'ReleaseStock', sku: 'A' },
      { kind: 'CancelDeadline', deadlineId: PAYMENT_DEADLINE },
      { kind: 'CancelOrder', reason: 'B could not be reserved: only 0 available' },
    ]);
    expect(wf.state).toMatchObject({ step: 'CANCELLED', outcome: 'COMPENSATED' });
  });

  it('releases a reservation that lands after it gave up', () => {
    const wf = workflow();
    wf.receive(placed);
    wf.receive({ type: 'StockReservationRefused', sku: 'A', code: 'INVENTORY.INSUFFICIENT_STOCK', message: 'none left' });
    expect(wf.receive({ type: 'StockReserved', sku: 'B' })).toEqual([{ kind: 'ReleaseStock', sku: 'B' }]);
  });

  it('releases everything and cancels the order when the payment is declined', () => {
    const wf = workflow();
    wf.receive(placed);
    wf.receive({ type: 'PaymentMethodProvided', paymentMethodToken: 'tok_decline' });
    wf.receive({ type: 'StockReserved', sku: 'A' });
    wf.receive({ type: 'StockReserved', sku: 'B' });
    expect(wf.receive({ type: 'PaymentDeclined', paymentId: 'o-1:payment', reason: 'card declined' })).toEqual([
      { kind: 'ReleaseStock', sku: 'A' },
      { kind: 'ReleaseStock', sku: 'B' },
      { kind: 'CancelDeadline', deadlineId: PAYMENT_DEADLINE },
      { kind: 'CancelOrder', reason: 'payment declined: card declined' },
    ]);
  });

  it('cancels the payment request, releases and cancels the order when no payment arrives in time; a second firing does nothing', () => {
    const wf = workflow();
    wf.receive(placed);
    wf.receive({ type: 'PaymentMethodProvided', paymentMethodToken: 'tok_silent' });
    wf.receive({ type: 'StockReserved', sku: 'A' });
    wf.receive({ type: 'StockReserved', sku: 'B' });
    expect(wf.receive({ type: 'DeadlinePassed', deadlineId: PAYMENT_DEADLINE }, 'deadline').map((o) => o.kind)).toEqual([
      'CancelPayment',
      'ReleaseStock',
      'ReleaseStock',
      'CancelDeadline',
      'CancelOrder',
    ]);
    expect(wf.state).toMatchObject({ step: 'CANCELLED', outcome: 'TIMED_OUT' });
    expect(wf.receive({ type: 'DeadlinePassed', deadlineId: PAYMENT_DEADLINE }, 'deadline')).toEqual([]);
    expect(wf.receive({ type: 'DeadlinePassed', deadlineId: PAYMENT_DEADLINE }, 'deadline-again')).toEqual([]);
  });

  it('ignores a deadline that fires after the workflow finished', () => {
    const wf = reservedAndPaid();
    wf.receive({ type: 'OrderConfirmed', paymentId: 'o-1:payment' });
    wf.receive({ type: 'StockAllocated', sku: 'A' });
    wf.receive({ type: 'StockAllocated', sku: 'B' });
    expect(wf.receive({ type: 'DeadlinePassed', deadlineId: PAYMENT_DEADLINE })).toEqual([]);
    expect(wf.receive({ type: 'DeadlinePassed', deadlineId: COMPLETION_DEADLINE })).toEqual([]);
  });

  it('sends the step again when confirming overruns its deadline, and stays in flight', () => {
    const wf = reservedAndPaid();
    expect(wf.receive({ type: 'DeadlinePassed', deadlineId: COMPLETION_DEADLINE })).toEqual([{ kind: 'ConfirmOrder', paymentId: 'o-1:payment' }]);
    expect(wf.state.step).toBe('CONFIRMING');
  });

  it('releases and refunds when the customer cancels after paying, without cancelling the order again', () => {
    const wf = reservedAndPaid();
    expect(wf.receive({ type: 'OrderCancelled', reason: 'changed my mind' })).toEqual([
      { kind: 'RefundPayment', paymentId: 'o-1:payment', amount: 4918, reason: 'changed my mind' },
      { kind: 'ReleaseStock', sku: 'A' },
      { kind: 'ReleaseStock', sku: 'B' },
      { kind: 'CancelDeadline', deadlineId: COMPLETION_DEADLINE },
    ]);
  });

  it('refunds a payment that completes after the order was cancelled', () => {
    const wf = workflow();
    wf.receive(placed);
    wf.receive({ type: 'OrderCancelled', reason: 'changed my mind' });
    expect(wf.receive({ type: 'PaymentSucceeded', paymentId: 'o-1:payment', amount: total })).toEqual([
      { kind: 'RefundPayment', paymentId: 'o-1:payment', amount: 4918, reason: 'order cancelled: changed my mind' },
    ]);
  });

  it('gives the order up when its confirmation is refused for good, refunding the captured payment', () => {
    const wf = reservedAndPaid();
    const outputs = wf.receive({ type: 'StepRefused', step: 'ConfirmOrder', code: 'ORDER.PAYMENT_AMOUNT_MISMATCH', message: 'amount differs' });
    expect(outputs.map((o) => o.kind)).toEqual(['RefundPayment', 'ReleaseStock', 'ReleaseStock', 'CancelDeadline', 'CancelOrder']);
    expect(wf.state.outcome).toBe('COMPENSATED');
  });
});

describe('order fulfilment: after it completed', () => {
  it('refunds a completed order the customer cancels before it ships, once', () => {
    const wf = reservedAndPaid();
    wf.receive({ type: 'OrderConfirmed', paymentId: 'o-1:payment' });
    wf.receive({ type: 'StockAllocated', sku: 'A' });
    wf.receive({ type: 'StockAllocated', sku: 'B' });
    expect(wf.receive({ type: 'OrderCancelled', reason: 'too late' }, 'cancel')).toEqual([{ kind: 'RefundPayment', paymentId: 'o-1:payment', amount: 4918, reason: 'too late' }]);
    expect(wf.receive({ type: 'OrderCancelled', reason: 'too late' }, 'cancel')).toEqual([]);
    expect(wf.state.step).toBe('COMPLETED');
  });
});
