import type { GatewayResult, OrderLine, PersonalDetails, ShippingAddress, SupportChannel } from '../../domain/index.js';

/**
 * The commands transports send, one union per aggregate, discriminated by `type`. The command handler adds what
 * the domain needs besides: the time (from the Clock), ids it mints (from the IdGenerator), and facts it reads
 * from other aggregates.
 */
export type OrderCommand =
  | {
      readonly type: 'PlaceOrder';
      readonly orderId: string;
      readonly customerId: string;
      readonly currency: string;
      readonly lines: readonly OrderLine[];
      readonly shippingAddress: ShippingAddress;
      /** Basis points; 0 when absent. */
      readonly taxRate?: number;
      /** The provider token to pay with; the order waits for one when absent. */
      readonly paymentMethodToken?: string;
    }
  | { readonly type: 'ProvidePaymentMethod'; readonly orderId: string; readonly paymentMethodToken: string }
  | { readonly type: 'ConfirmOrder'; readonly orderId: string; readonly paymentId?: string | null }
  | { readonly type: 'ShipOrder'; readonly orderId: string; readonly carrier: string; readonly trackingNumber: string }
  | { readonly type: 'DeliverOrder'; readonly orderId: string }
  | { readonly type: 'CancelOrder'; readonly orderId: string; readonly reason: string }
  | { readonly type: 'ReturnOrder'; readonly orderId: string; readonly reason: string };

export type PaymentCommand =
  | {
      readonly type: 'RequestPayment';
      readonly paymentId: string;
      readonly orderId: string;
      /** Integer minor units. */
      readonly amount: number;
      readonly currency: string;
      /** A token from the payment provider, never a card number. */
      readonly paymentMethodToken: string;
    }
  | { readonly type: 'CompletePayment'; readonly paymentId: string; readonly transactionId: string; readonly gateway: GatewayResult }
  | { readonly type: 'CancelPayment'; readonly paymentId: string; readonly reason: string }
  | { readonly type: 'RefundPayment'; readonly paymentId: string; readonly amount: number; readonly reason: string };

/** One inventory aggregate per SKU: the SKU is its id. */
export type InventoryCommand =
  | { readonly type: 'ReceiveStock'; readonly sku: string; readonly quantity: number }
  | { readonly type: 'ReserveStock'; readonly sku: string; readonly orderId: string; readonly quantity: number }
  | { readonly type: 'ReleaseReservation'; readonly sku: string; readonly orderId: string }
  | { readonly type: 'AllocateReservation'; readonly sku: string; readonly orderId: string };

export type CustomerCommand =
  | { readonly type: 'RegisterCustomer'; readonly customerId: string; readonly personal: PersonalDetails }
  | { readonly type: 'ChangeCustomerDetails'; readonly customerId: string; readonly personal: Partial<PersonalDetails> }
  | {
      readonly type: 'RecordSupportInteraction';
      readonly customerId: string;
      readonly channel: SupportChannel;
      readonly summary: string;
      readonly agent: string;
      readonly orderId?: string | null;
    }
  | { readonly type: 'EraseCustomer'; readonly customerId: string };

/** One member of a command union, by its type. */
export type CommandOfType<C extends { readonly type: string }, T extends C['type']> = Extract<C, { readonly type: T }>;
