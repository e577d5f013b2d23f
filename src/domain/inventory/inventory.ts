import type { AggregateDefinition } from '../shared/aggregate.js';
import { INVENTORY_EVENT_TYPES, type InventoryEvent } from './inventory-events.js';

/** One aggregate per SKU. */
export interface InventoryState {
  readonly onHand: number;
  /** Open reservations by order id. */
  readonly reservations: Readonly<Record<string, number>>;
  readonly allocated: number;
}

export const reservedQuantity = (state: InventoryState): number => Object.values(state.reservations).reduce((a, b) => a + b, 0);

export const availableQuantity = (state: InventoryState): number => state.onHand - reservedQuantity(state) - state.allocated;

const withoutReservation = (reservations: Readonly<Record<string, number>>, orderId: string): Record<string, number> => {
  const rest = { ...reservations };
  delete rest[orderId];
  return rest;
};

const evolve = (state: InventoryState, event: InventoryEvent): InventoryState => {
  switch (event.type) {
    case 'StockReceived':
      return { ...state, onHand: state.onHand + event.data.quantity };
    case 'InventoryReserved':
      return { ...state, reservations: { ...state.reservations, [event.data.orderId]: event.data.quantity } };
    case 'InventoryReleased':
      return { ...state, reservations: withoutReservation(state.reservations, event.data.orderId) };
    case 'InventoryAllocated':
      return { ...state, reservations: withoutReservation(state.reservations, event.data.orderId), allocated: state.allocated + event.data.quantity };
    default: {
      const unknown: never = event;
      throw new Error(`unhandled inventory event ${JSON.stringify(unknown)}`);
    }
  }
};

export const Inventory: AggregateDefinition<InventoryState, InventoryEvent> = {
  type: 'Inventory',
  stateSchemaVersion: 1,
  eventTypes: INVENTORY_EVENT_TYPES,
  initialState: () => ({ onHand: 0, reservations: {}, allocated: 0 }),
  evolve,
};
