import type { Container } from 'inversify';
import { CatchUpSubscriber } from '../application/projections/catch-up-subscriber.js';
import { OrderSummaryProjection } from '../application/projections/order-summary-projection.js';
import { TOKENS } from './tokens.js';

/** The application as a transport sees it: use cases, queries and the read side's feed. */
export const appFrom = (container: Container) => {
  const orderSummary = new CatchUpSubscriber(
    container.get(TOKENS.GlobalEventLog),
    container.get(TOKENS.CheckpointStore),
    container.get(TOKENS.Upcasters),
    container.get(TOKENS.Metrics),
    new OrderSummaryProjection(container.get(TOKENS.OrderReadModel)),
  );
  return {
    orders: container.get(TOKENS.OrderCommands),
    payments: container.get(TOKENS.PaymentCommands),
    inventory: container.get(TOKENS.InventoryCommands),
    customers: container.get(TOKENS.CustomerCommands),
    orderQueries: container.get(TOKENS.OrderQueries),
    eventStore: container.get(TOKENS.EventStore),
    repository: container.get(TOKENS.Repository),
    /** Brings every read model up to the committed log. */
    catchUp: async (): Promise<number> => orderSummary.catchUp(),
    close: (): Promise<void> => container.get(TOKENS.Closer)(),
  };
};

export type App = ReturnType<typeof appFrom>;
