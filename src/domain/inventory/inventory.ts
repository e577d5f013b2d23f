import type { AggregateDefinition } from '../shared/aggregate.js';
import { INVENTORY_EVENT_TYPES, type InventoryEvent } from './inventory-events.js';

/** One aggregate per SKU. */
export interface InventoryState {
  readonly onHand: number;
  /** Open reservations by order id. */
  readonly reservations: Readonly<Record<string, number>>;
  /** Allocations by order id: an order keeps its claim on the SKU after allocation. */
  readonly allocations: Readonly<Record<string, number>>;
}

const sum = (quantities: Readonly<Record<string, number>>): number => Object.values(quantities).reduce((a, b) => a + b, 0);

export const reservedQuantity = (state: InventoryState): number => sum(state.reservations);

export const allocatedQuantity = (state: InventoryState): number => sum(state.allocations);

export const availableQuantity = (state: InventoryState): number => state.onHand - reservedQuantity(state) - allocatedQuantity(state);

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
      return {
        ...state,
        reservations: withoutReservation(state.reservations, event.data.orderId),
        allocations: { ...state.allocations, [event.data.orderId]: (state.allocations[event.data.orderId] ?? 0) + event.data.quantity },
      };
    default: {
      const unknown: never = event;
      throw new Error(`unhandled inventory event ${JSON.stringify(unknown)}`);
    }
  }
};

export const Inventory: AggregateDefinition<InventoryState, InventoryEvent> = {
  type: 'Inventory',
  // 2: allocations kept per order (1 kept only their total).
  stateSchemaVersion: 2,
  eventTypes: INVENTORY_EVENT_TYPES,
  initialState: () => ({ onHand: 0, reservations: {}, allocations: {} }),
  evolve,
};
