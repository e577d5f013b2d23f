import { describe, expect, it } from 'vitest';
import { availableQuantity, decideInventory, Inventory, MAX_ON_HAND } from '../../../src/domain/index.js';
import { deciderSpec } from '../../support/decider-spec.js';
import { allocate, aPlacedOrderFor, INVENTORY_NOW as NOW, receive, release, reserve, SKU, stockReceived, stockReserved } from '../mothers/inventory-mother.js';

const spec = deciderSpec(Inventory, decideInventory);
const allocated = (orderId: string, quantity: number) => ({ type: 'InventoryAllocated' as const, occurredAt: NOW, data: { sku: SKU, orderId, quantity } });

describe('Inventory', () => {
  it('receives stock', () => {
    const state = spec
      .given([stockReceived(5)])
      .when(receive(3))
      .then([{ type: 'StockReceived', occurredAt: NOW, data: { sku: SKU, quantity: 3 } }]);
    expect(availableQuantity(state)).toBe(8);
  });

  it.each([0, -2, 1.5])('refuses to receive a quantity of %s', (quantity) => {
    spec.given([]).when(receive(quantity)).thenFailsWith('INVENTORY.INVALID_QUANTITY');
  });

  it('reserves up to what is available', () => {
    const state = spec
      .given([stockReceived(10), stockReserved('order-1', 4)])
      .when(reserve('order-2', 6))
      .then([{ type: 'InventoryReserved', occurredAt: NOW, data: { sku: SKU, orderId: 'order-2', quantity: 6 } }]);
    expect(availableQuantity(state)).toBe(0);
  });

  it('refuses to reserve more than is available and says how much is', () => {
    const error = spec.given([stockReceived(10), stockReserved('order-1', 4)]).when(reserve('order-2', 7)).thenFailsWith('INVENTORY.INSUFFICIENT_STOCK');
    expect(error.details).toEqual({ requested: 7, available: 6 });
  });

  it('refuses a new reservation for an order whose reservation was already allocated', () => {
    spec.given([stockReceived(10), stockReserved('order-1', 4), allocated('order-1', 4)]).when(reserve('order-1', 1)).thenFailsWith('INVENTORY.ALREADY_RESERVED');
  });

  it('refuses stock beyond what one SKU may hold', () => {
    const error = spec.given([stockReceived(MAX_ON_HAND - 5)]).when(receive(6)).thenFailsWith('INVENTORY.CAPACITY_EXCEEDED');
    expect(error.details).toEqual({ onHand: MAX_ON_HAND - 5, max: MAX_ON_HAND });
  });

  it('refuses a second reservation for the same order', () => {
    spec.given([stockReceived(10), stockReserved('order-1', 4)]).when(reserve('order-1', 1)).thenFailsWith('INVENTORY.ALREADY_RESERVED');
  });

  it('refuses to reserve a quantity that is not a positive integer', () => {
    spec.given([stockReceived(10)]).when(reserve('order-1', 0)).thenFailsWith('INVENTORY.INVALID_QUANTITY');
  });

  it("releases an order's reservation back to available", () => {
    const state = spec
      .given([stockReceived(10), stockReserved('order-1', 4)])
      .when(release('order-1'))
      .then([{ type: 'InventoryReleased', occurredAt: NOW, data: { sku: SKU, orderId: 'order-1', quantity: 4 } }]);
    expect(availableQuantity(state)).toBe(10);
    expect(state.reservations).toEqual({});
  });

  it('allocates a reservation: still unavailable, no longer reserved', () => {
    const state = spec
      .given([stockReceived(10), stockReserved('order-1', 4)])
      .when(allocate('order-1'))
      .then([{ type: 'InventoryAllocated', occurredAt: NOW, data: { sku: SKU, orderId: 'order-1', quantity: 4 } }]);
    expect(state).toMatchObject({ onHand: 10, allocations: { 'order-1': 4 }, reservations: {} });
    expect(availableQuantity(state)).toBe(6);
  });

  it.each([
    ['release', release],
    ['allocate', allocate],
  ] as const)('refuses to %s a reservation the order does not hold', (_name, settle) => {
    spec.given([stockReceived(10), stockReserved('order-1', 4)]).when(settle('order-2')).thenFailsWith('INVENTORY.UNKNOWN_RESERVATION');
  });

  it('refuses to release a reservation that was already allocated', () => {
    spec.given([stockReceived(10), stockReserved('order-1', 4), allocated('order-1', 4)]).when(release('order-1')).thenFailsWith('INVENTORY.UNKNOWN_RESERVATION');
  });
});

describe('Inventory: a reservation is for what an open order holds', () => {
  it('refuses a reservation for an order that does not exist', () => {
    const error = spec.given([stockReceived(10)]).when(reserve('order-404', 1, null)).thenFailsWith('INVENTORY.ORDER_NOT_FOUND');
    expect(error.details).toEqual({ orderId: 'order-404' });
  });

  it.each(['CONFIRMED', 'CANCELLED', 'SHIPPED'] as const)('refuses a reservation for an order that is %s', (status) => {
    const error = spec.given([stockReceived(10)]).when(reserve('order-1', 2, aPlacedOrderFor(2, { status }))).thenFailsWith('INVENTORY.ORDER_NOT_OPEN');
    expect(error.details).toMatchObject({ orderStatus: status });
  });

  it('refuses a reservation of a SKU the order does not contain', () => {
    const otherSku = aPlacedOrderFor(2, { lines: [{ sku: 'SKU-2', quantity: 2, unitPrice: 100 }] });
    spec.given([stockReceived(10)]).when(reserve('order-1', 2, otherSku)).thenFailsWith('INVENTORY.SKU_NOT_IN_ORDER');
  });

  it('refuses more than the order holds of the SKU, counting every line of it', () => {
    const twoLines = aPlacedOrderFor(2, {
      lines: [
        { sku: SKU, quantity: 2, unitPrice: 100 },
        { sku: SKU, quantity: 1, unitPrice: 0 },
      ],
    });
    spec.given([stockReceived(10)]).when(reserve('order-1', 3, twoLines)).then([{ type: 'InventoryReserved', occurredAt: NOW, data: { sku: SKU, orderId: 'order-1', quantity: 3 } }]);
    const error = spec.given([stockReceived(10)]).when(reserve('order-1', 4, twoLines)).thenFailsWith('INVENTORY.QUANTITY_NOT_ORDERED');
    expect(error.details).toEqual({ orderId: 'order-1', ordered: 3 });
  });

  it('reserves part of what the order holds', () => {
    spec.given([stockReceived(10)]).when(reserve('order-1', 1, aPlacedOrderFor(5))).then([{ type: 'InventoryReserved', occurredAt: NOW, data: { sku: SKU, orderId: 'order-1', quantity: 1 } }]);
  });
});
