import { err, ok, type Result } from 'neverthrow';
import { domainError, type DomainError } from '../shared/domain-error.js';
import type { Now } from '../shared/domain-event.js';
import { availableQuantity, type InventoryState } from './inventory.js';
import type { InventoryEvent } from './inventory-events.js';

type Decision = Result<readonly InventoryEvent[], DomainError>;

const positive = (quantity: number): DomainError | null =>
  Number.isSafeInteger(quantity) && quantity > 0 ? null : domainError('INVENTORY.INVALID_QUANTITY', `quantity must be a positive integer, got ${quantity}`);

/** What one SKU may hold on hand: read models keep quantities in 32-bit integers. */
export const MAX_ON_HAND = 2_147_483_647;

export const receiveStock = (state: InventoryState, command: Now & { sku: string; quantity: number }): Decision => {
  const invalid = positive(command.quantity);
  if (invalid) return err(invalid);
  if (state.onHand + command.quantity > MAX_ON_HAND) {
    return err(domainError('INVENTORY.CAPACITY_EXCEEDED', `${command.sku} would hold more than ${MAX_ON_HAND} units on hand`, { onHand: state.onHand, max: MAX_ON_HAND }));
  }
  return ok([{ type: 'StockReceived', occurredAt: command.now, data: { sku: command.sku, quantity: command.quantity } }]);
};

export const reserveStock = (state: InventoryState, command: Now & { sku: string; orderId: string; quantity: number }): Decision => {
  const invalid = positive(command.quantity);
  if (invalid) return err(invalid);
  if (state.reservations[command.orderId] !== undefined || state.allocations[command.orderId] !== undefined) {
    return err(domainError('INVENTORY.ALREADY_RESERVED', `order ${command.orderId} already holds a reservation of ${command.sku}`));
  }
  const available = availableQuantity(state);
  if (command.quantity > available) {
    return err(
      domainError('INVENTORY.INSUFFICIENT_STOCK', `cannot reserve ${command.quantity} of ${command.sku}: only ${available} available`, {
        requested: command.quantity,
        available,
      }),
    );
  }
  return ok([{ type: 'InventoryReserved', occurredAt: command.now, data: { sku: command.sku, orderId: command.orderId, quantity: command.quantity } }]);
};

const reservationOf = (state: InventoryState, sku: string, orderId: string): Result<number, DomainError> => {
  const quantity = state.reservations[orderId];
  return quantity === undefined
    ? err(domainError('INVENTORY.UNKNOWN_RESERVATION', `order ${orderId} holds no reservation of ${sku}`))
    : ok(quantity);
};

export const releaseReservation = (state: InventoryState, command: Now & { sku: string; orderId: string }): Decision =>
  reservationOf(state, command.sku, command.orderId).map((quantity) => [
    { type: 'InventoryReleased', occurredAt: command.now, data: { sku: command.sku, orderId: command.orderId, quantity } },
  ]);

export const allocateReservation = (state: InventoryState, command: Now & { sku: string; orderId: string }): Decision =>
  reservationOf(state, command.sku, command.orderId).map((quantity) => [
    { type: 'InventoryAllocated', occurredAt: command.now, data: { sku: command.sku, orderId: command.orderId, quantity } },
  ]);
