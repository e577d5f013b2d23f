import type { Container } from 'inversify';
import { TOKENS } from './tokens.js';

/** The application as a transport sees it: use cases, queries, temporal queries and the read side. */
export const appFrom = (container: Container) => {
  const projections = container.get(TOKENS.Projections);
  return {
    orders: container.get(TOKENS.OrderCommands),
    payments: container.get(TOKENS.PaymentCommands),
    inventory: container.get(TOKENS.InventoryCommands),
    customers: container.get(TOKENS.CustomerCommands),
    orderQueries: container.get(TOKENS.Queries),
    temporal: container.get(TOKENS.Temporal),
    projections,
    eventStore: container.get(TOKENS.EventStore),
    repository: container.get(TOKENS.Repository),
    metrics: container.get(TOKENS.Metrics),
    /** Brings every read model up to the committed log. */
    catchUp: (): Promise<number> => projections.catchUp(),
    close: async (): Promise<void> => {
      await projections.stop();
      await container.get(TOKENS.Closer)();
    },
  };
};

export type App = ReturnType<typeof appFrom>;
