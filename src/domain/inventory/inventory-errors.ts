import type { CodeOf } from '../shared/domain-error.js';

/** Every code an inventory command can be refused with. */
export const INVENTORY_ERRORS = {
  /** A SKU no stock was ever received for (only reads refuse with it: every inventory command may start a SKU). */
  NOT_FOUND: 'INVENTORY.NOT_FOUND',
  INVALID_QUANTITY: 'INVENTORY.INVALID_QUANTITY',
  CAPACITY_EXCEEDED: 'INVENTORY.CAPACITY_EXCEEDED',
  ORDER_NOT_FOUND: 'INVENTORY.ORDER_NOT_FOUND',
  ORDER_NOT_OPEN: 'INVENTORY.ORDER_NOT_OPEN',
  SKU_NOT_IN_ORDER: 'INVENTORY.SKU_NOT_IN_ORDER',
  QUANTITY_NOT_ORDERED: 'INVENTORY.QUANTITY_NOT_ORDERED',
  ALREADY_RESERVED: 'INVENTORY.ALREADY_RESERVED',
  INSUFFICIENT_STOCK: 'INVENTORY.INSUFFICIENT_STOCK',
  UNKNOWN_RESERVATION: 'INVENTORY.UNKNOWN_RESERVATION',
  /** A SKU or an order id that looks like a card number (checked by the command handler for every command). */
  CARD_NUMBER_IN_TEXT: 'INVENTORY.CARD_NUMBER_IN_TEXT',
} as const;

export type InventoryErrorCode = CodeOf<typeof INVENTORY_ERRORS>;
