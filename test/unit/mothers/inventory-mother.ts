import type { InventoryEvent } from '../../../src/domain/index.js';

export const SKU = 'SKU-1';
const AT = '2026-03-01T09:00:00.000Z';

export const stockReceived = (quantity: number): InventoryEvent => ({ type: 'StockReceived', occurredAt: AT, data: { sku: SKU, quantity } });

export const stockReserved = (orderId: string, quantity: number): InventoryEvent => ({
  type: 'InventoryReserved',
  occurredAt: AT,
  data: { sku: SKU, orderId, quantity },
});
