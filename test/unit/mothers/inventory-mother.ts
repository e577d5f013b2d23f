import type {
  AllocateReservation,
  InventoryEvent,
  OrderFactsForStock,
  ReceiveStock,
  ReleaseReservation,
  ReserveStock,
} from '../../../src/domain/index.js';

export const SKU = 'SKU-1';
const AT = '2026-03-01T09:00:00.000Z';
/** When the commands of a test are decided, unless it says otherwise: a day after the history. */
export const INVENTORY_NOW = '2026-03-02T10:00:00.000Z';

export const stockReceived = (quantity: number): InventoryEvent => ({ type: 'StockReceived', occurredAt: AT, data: { sku: SKU, quantity } });

export const stockReserved = (orderId: string, quantity: number): InventoryEvent => ({
  type: 'InventoryReserved',
  occurredAt: AT,
  data: { sku: SKU, orderId, quantity },
});

/** A placed order for `quantity` units of SKU-1, as a reservation is told of it. */
export const aPlacedOrderFor = (quantity: number, overrides: Partial<OrderFactsForStock> = {}): OrderFactsForStock => ({
  status: 'CREATED',
  lines: [{ sku: SKU, quantity, unitPrice: 1999 }],
  ...overrides,
});

export const receive = (quantity: number, now = INVENTORY_NOW): ReceiveStock => ({ type: 'ReceiveStock', sku: SKU, quantity, now });

/** A reservation for an order placed for exactly that many units, unless the order is given. */
export const reserve = (orderId: string, quantity: number, order: OrderFactsForStock | null = aPlacedOrderFor(Math.max(quantity, 1))): ReserveStock => ({
  type: 'ReserveStock',
  sku: SKU,
  orderId,
  quantity,
  order,
  now: INVENTORY_NOW,
});

export const release = (orderId: string): ReleaseReservation => ({ type: 'ReleaseReservation', sku: SKU, orderId, now: INVENTORY_NOW });

export const allocate = (orderId: string): AllocateReservation => ({ type: 'AllocateReservation', sku: SKU, orderId, now: INVENTORY_NOW });
