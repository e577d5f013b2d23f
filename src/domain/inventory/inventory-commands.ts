import { err, ok, type Result } from 'neverthrow';
import { domainError, type DomainError } from '../shared/domain-error.js';
import type { Now } from '../shared/domain-event.js';
import type { OrderStatus } from '../order/order.js';
import type { OrderLine } from '../order/order-events.js';
import { availableQuantity, type InventoryState } from './inventory.js';
import { INVENTORY_ERRORS, type InventoryErrorCode } from './inventory-errors.js';
import type { InventoryEvent } from './inventory-events.js';

/** What a reservation is told of its order: read from the Order aggregate when the reservation is decided. */
export interface OrderFactsForStock {
  readonly status: OrderStatus;
  readonly lines: readonly OrderLine[];
}

export interface ReceiveStock extends Now {
  readonly type: 'ReceiveStock';
  readonly sku: string;
  readonly quantity: number;
}

export interface ReserveStock extends Now {
  readonly type: 'ReserveStock';
  readonly sku: string;
  readonly orderId: string;
  readonly quantity: number;
  /** The order `orderId` names; null when there is none. */
  readonly order: OrderFactsForStock | null;
}

export interface ReleaseReservation extends Now {
  readonly type: 'ReleaseReservation';
  readonly sku: string;
  readonly orderId: string;
}

export interface AllocateReservation extends Now {
  readonly type: 'AllocateReservation';
  readonly sku: string;
  readonly orderId: string;
}

/** An inventory command as the domain decides it: what the client asked, the time, and the facts of other aggregates it needs. */
export type InventoryDomainCommand = ReceiveStock | ReserveStock | ReleaseReservation | AllocateReservation;

type Refusal = DomainError<InventoryErrorCode>;
type Decision = Result<readonly InventoryEvent[], Refusal>;

const positive = (quantity: number): Refusal | null =>
  Number.isSafeInteger(quantity) && quantity > 0 ? null : domainError(INVENTORY_ERRORS.INVALID_QUANTITY, `quantity must be a positive integer, got ${quantity}`);

/** What one SKU may hold on hand: read models keep quantities in 32-bit integers. */
export const MAX_ON_HAND = 2_147_483_647;

const receiveStock = (command: ReceiveStock, state: InventoryState): Decision => {
  const invalid = positive(command.quantity);
  if (invalid) return err(invalid);
  if (state.onHand + command.quantity > MAX_ON_HAND) {
    return err(
      domainError(INVENTORY_ERRORS.CAPACITY_EXCEEDED, `${command.sku} would hold more than ${MAX_ON_HAND} units on hand`, { onHand: state.onHand, max: MAX_ON_HAND }),
    );
  }
  return ok([{ type: 'StockReceived', occurredAt: command.now, data: { sku: command.sku, quantity: command.quantity } }]);
};

/**
 * Cross-aggregate: checked on the order's current state at decision time (not transactional across aggregates);
 * the order-fulfilment workflow is the backstop (it releases what a cancelled order still holds).
 */
const refuseForOrder = (command: ReserveStock): Refusal | null => {
  const { order, orderId, sku } = command;
  if (order === null) return domainError(INVENTORY_ERRORS.ORDER_NOT_FOUND, `order ${orderId} does not exist`, { orderId });
  if (order.status !== 'CREATED') {
    return domainError(INVENTORY_ERRORS.ORDER_NOT_OPEN, `order ${orderId} is ${order.status}; stock is reserved for a placed order`, { orderId, orderStatus: order.status });
  }
  const ordered = order.lines.filter((line) => line.sku === sku).reduce((sum, line) => sum + line.quantity, 0);
  if (ordered === 0) return domainError(INVENTORY_ERRORS.SKU_NOT_IN_ORDER, `order ${orderId} has no line for ${sku}`, { orderId });
  if (command.quantity > ordered) {
    return domainError(INVENTORY_ERRORS.QUANTITY_NOT_ORDERED, `order ${orderId} is for ${ordered} of ${sku}, not ${command.quantity}`, { orderId, ordered });
  }
  return null;
};

const reserveStock = (command: ReserveStock, state: InventoryState): Decision => {
  const invalid = positive(command.quantity) ?? refuseForOrder(command);
  if (invalid) return err(invalid);
  if (state.reservations[command.orderId] !== undefined || state.allocations[command.orderId] !== undefined) {
    return err(domainError(INVENTORY_ERRORS.ALREADY_RESERVED, `order ${command.orderId} already holds a reservation of ${command.sku}`));
  }
  const available = availableQuantity(state);
  if (command.quantity > available) {
    return err(
      domainError(INVENTORY_ERRORS.INSUFFICIENT_STOCK, `cannot reserve ${command.quantity} of ${command.sku}: only ${available} available`, {
        requested: command.quantity,
        available,
      }),
    );
  }
  return ok([{ type: 'InventoryReserved', occurredAt: command.now, data: { sku: command.sku, orderId: command.orderId, quantity: command.quantity } }]);
};

const reservationOf = (state: InventoryState, sku: string, orderId: string): Result<number, Refusal> => {
  const quantity = state.reservations[orderId];
  return quantity === undefined ? err(domainError(INVENTORY_ERRORS.UNKNOWN_RESERVATION, `order ${orderId} holds no reservation of ${sku}`)) : ok(quantity);
};

const releaseReservation = (command: ReleaseReservation, state: InventoryState): Decision =>
  reservationOf(state, command.sku, command.orderId).map((quantity) => [
    { type: 'InventoryReleased', occurredAt: command.now, data: { sku: command.sku, orderId: command.orderId, quantity } },
  ]);

const allocateReservation = (command: AllocateReservation, state: InventoryState): Decision =>
  reservationOf(state, command.sku, command.orderId).map((quantity) => [
    { type: 'InventoryAllocated', occurredAt: command.now, data: { sku: command.sku, orderId: command.orderId, quantity } },
  ]);

/** The inventory's decider (one aggregate per SKU): the events a command leads to, or why it is refused. */
export const decideInventory = (command: InventoryDomainCommand, state: InventoryState): Decision => {
  switch (command.type) {
    case 'ReceiveStock':
      return receiveStock(command, state);
    case 'ReserveStock':
      return reserveStock(command, state);
    case 'ReleaseReservation':
      return releaseReservation(command, state);
    case 'AllocateReservation':
      return allocateReservation(command, state);
    default: {
      const unknown: never = command;
      throw new Error(`unhandled inventory command ${JSON.stringify(unknown)}`);
    }
  }
};
