import { UpcasterRegistry } from './upcaster-registry.js';

/**
 * The ADR's chains: OrderCreated v1 -> v2 -> v3 and PaymentProcessed v1 -> v2. Every other type is at its first
 * schema (OrderPaymentMethodProvided and PaymentCancelled among them): nothing to upcast.
 */
export const domainUpcasters = (): UpcasterRegistry =>
  new UpcasterRegistry()
    // v2 introduced the currency; every v1 order was taken in US dollars.
    .register('OrderCreated', 1, (data) => ({ ...data, currency: 'USD' }))
    // v3 introduced tax; nothing before it was taxed.
    .register('OrderCreated', 2, (data) => ({ ...data, taxAmount: 0, taxRate: 0 }))
    // v2 keeps only the gateway's reference out of the raw response v1 stored.
    .register('PaymentProcessed', 1, ({ gatewayResponse, ...rest }) => {
      const reference = (gatewayResponse as { reference?: unknown } | undefined)?.reference;
      return { ...rest, gatewayReference: typeof reference === 'string' ? reference : null };
    });
