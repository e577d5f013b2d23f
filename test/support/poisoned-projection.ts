import type { EventEnvelope } from '../../src/application/events/envelope.js';
import { orderSummaryProjection } from '../../src/application/projections/order-summary-projection.js';

/**
 * Makes the order summary fail, deterministically, on the events `isPoison` picks, event by event and in
 * whole batches alike (a bug in the projection's code would); returns what puts it back.
 */
export const poisonOrderSummary = (isPoison: (event: EventEnvelope) => boolean, message: string): (() => void) => {
  const { apply, applyBatch } = orderSummaryProjection;
  orderSummaryProjection.apply = async (readModel, event, context) => {
    if (isPoison(event)) throw new Error(message);
    return apply(readModel, event, context);
  };
  orderSummaryProjection.applyBatch = async (readModel, events, context) => {
    if (events.some(isPoison)) throw new Error(message);
    return applyBatch?.(readModel, events, context);
  };
  return () => {
    orderSummaryProjection.apply = apply;
    orderSummaryProjection.applyBatch = applyBatch;
  };
};
