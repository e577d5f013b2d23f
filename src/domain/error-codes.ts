import type { AggregateErrorCode } from './shared/aggregate.js';
import type { MoneyErrorCode } from './shared/money.js';
import type { CustomerErrorCode } from './customer/customer-errors.js';
import type { InventoryErrorCode } from './inventory/inventory-errors.js';
import type { OrderErrorCode } from './order/order-errors.js';
import type { PaymentErrorCode } from './payment/payment-errors.js';

/** Every code the domain refuses with: each aggregate's, money's, and corrupt history's. */
export type DomainErrorCode = OrderErrorCode | PaymentErrorCode | InventoryErrorCode | CustomerErrorCode | MoneyErrorCode | AggregateErrorCode;
