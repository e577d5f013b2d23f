import { describe, expect, it } from 'vitest';
import { allocateReservation, availableQuantity, Inventory, MAX_ON_HAND, receiveStock, releaseReservation, reserveStock } from '../../../src/domain/index.js';
import { deciderSpec } from '../../support/decider-spec.js';
import { SKU, stockReceived, stockReserved } from '../mothers/inventory-mother.js';

const spec = deciderSpec(Inventory);
const NOW = '2026-03-02T10:00:00.000Z';

describe('Inventory', () => {
  it('receives stock', () => {
    const state = spec
      .given([stockReceived(5)])
      .when(receiveStock, { sku: SKU, quantity: 3, now: NOW })
      .then([{ type: 'StockReceived', occurredAt: NOW, data: { sku: SKU, quantity: 3 } }]);
    expect(availableQuantity(state)).toBe(8);
  });

  it.each([0, -2, 1.5])('refuses to receive a quantity of %s', (quantity) => {
    spec.given([]).when(receiveStock, { sku: SKU, quantity, now: NOW }).thenFailsWith('INVENTORY.INVALID_QUANTITY');
  });

  it('reserves up to what is available', () => {
    const state = spec
      .given([stockReceived(10), stockReserved('order-1', 4)])
      .when(reserveStock, { sku: SKU, orderId: 'order-2', quantity: 6, now: NOW })
      .then([{ type: 'InventoryReserved', occurredAt: NOW, data: { sku: SKU, orderId: 'order-2', quantity: 6 } }]);
    expect(availableQuantity(state)).toBe(0);
  });

  it('refuses to reserve more than is available and says how much is', () => {
    const error = spec
      .given([stockReceived(10), stockReserved('order-1', 4)])
      .when(reserveStock, { sku: SKU, orderId: 'order-2', quantity: 7, now: NOW })
      .thenFailsWith('INVENTORY.INSUFFICIENT_STOCK');
    expect(error.details).toEqual({ requested: 7, available: 6 });
  });

  it('refuses a new reservation for an order whose reservation was already allocated', () => {
    const allocated = { type: 'InventoryAllocated' as const, occurredAt: NOW, data: { sku: SKU, orderId: 'order-1', quantity: 4 } };
    spec
      .given([stockReceived(10), stockReserved('order-1', 4), allocated])
      .when(reserveStock, { sku: SKU, orderId: 'order-1', quantity: 1, now: NOW })
      .thenFailsWith('INVENTORY.ALREADY_RESERVED');
  });

  it('refuses stock beyond what one SKU may hold', () => {
    const error = spec
      .given([stockReceived(MAX_ON_HAND - 5)])
      .when(receiveStock, { sku: SKU, quantity: 6, now: NOW })
      .thenFailsWith('INVENTORY.CAPACITY_EXCEEDED');
    expect(error.details).toEqual({ onHand: MAX_ON_HAND - 5, max: MAX_ON_HAND });
  });

  it('refuses a second reservation for the same order', () => {
    spec
      .given([stockReceived(10), stockReserved('order-1', 4)])
      .when(reserveStock, { sku: SKU, orderId: 'order-1', quantity: 1, now: NOW })
      .thenFailsWith('INVENTORY.ALREADY_RESERVED');
  });

  it('refuses to reserve a quantity that is not a positive integer', () => {
    spec.given([stockReceived(10)]).when(reserveStock, { sku: SKU, orderId: 'order-1', quantity: 0, now: NOW }).thenFailsWith('INVENTORY.INVALID_QUANTITY');
  });

  it("releases an order's reservation back to available", () => {
    const state = spec
      .given([stockReceived(10), stockReserved('order-1', 4)])
      .when(releaseReservation, { sku: SKU, orderId: 'order-1', now: NOW })
      .then([{ type: 'InventoryReleased', occurredAt: NOW, data: { sku: SKU, orderId: 'order-1', quantity: 4 } }]);
    expect(availableQuantity(state)).toBe(10);
    expect(state.reservations).toEqual({});
  });

  it('allocates a reservation: still unavailable, no longer reserved', () => {
    const state = spec
      .given([stockReceived(10), stockReserved('order-1', 4)])
      .when(allocateReservation, { sku: SKU, orderId: 'order-1', now: NOW })
      .then([{ type: 'InventoryAllocated', occurredAt: NOW, data: { sku: SKU, orderId: 'order-1', quantity: 4 } }]);
    expect(state).toMatchObject({ onHand: 10, allocations: { 'order-1': 4 }, reservations: {} });
    expect(availableQuantity(state)).toBe(6);
  });

  it.each([
    ['release', releaseReservation],
    ['allocate', allocateReservation],
  ] as const)('refuses to %s a reservation the order does not hold', (_name, decide) => {
    spec.given([stockReceived(10), stockReserved('order-1', 4)]).when(decide, { sku: SKU, orderId: 'order-2', now: NOW }).thenFailsWith('INVENTORY.UNKNOWN_RESERVATION');
  });

  it('refuses to release a reservation that was already allocated', () => {
    const allocated = { type: 'InventoryAllocated' as const, occurredAt: NOW, data: { sku: SKU, orderId: 'order-1', quantity: 4 } };
    spec
      .given([stockReceived(10), stockReserved('order-1', 4), allocated])
      .when(releaseReservation, { sku: SKU, orderId: 'order-1', now: NOW })
      .thenFailsWith('INVENTORY.UNKNOWN_RESERVATION');
  });
});
