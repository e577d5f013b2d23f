import type { DomainEvent } from '../shared/domain-event.js';

export type StockReceived = DomainEvent<'StockReceived', { sku: string; quantity: number }>;
export type InventoryReserved = DomainEvent<'InventoryReserved', { sku: string; orderId: string; quantity: number }>;
export type InventoryReleased = DomainEvent<'InventoryReleased', { sku: string; orderId: string; quantity: number }>;
export type InventoryAllocated = DomainEvent<'InventoryAllocated', { sku: string; orderId: string; quantity: number }>;

export type InventoryEvent = StockReceived | InventoryReserved | InventoryReleased | InventoryAllocated;

export const INVENTORY_EVENT_TYPES: ReadonlySet<string> = new Set<InventoryEvent['type']>([
  'StockReceived',
  'InventoryReserved',
  'InventoryReleased',
  'InventoryAllocated',
]);
