/** What the service asks a payment gateway to charge. Only a provider token, never a card number. */
export interface ChargeRequest {
  readonly paymentId: string;
  readonly orderId: string;
  /** Integer minor units (cents) and an ISO 4217 currency code. */
  readonly amount: { readonly amount: number; readonly currency: string };
  readonly paymentMethodToken: string;
  /** The gateway charges once per key, however often it is asked (real gateways take idempotency keys). */
  readonly idempotencyKey: string;
  /** Echoed back in the webhook's `metadata` (as real gateways echo a charge's metadata): ties the answer to the checkout. */
  readonly correlationId?: string;
}

/**
 * A payment gateway. Charging is asynchronous, as with real gateways: `charge` only hands the request over, and the
 * answer (approved or declined) arrives later as a signed webhook, received by `GatewayWebhooks`.
 */
export interface PaymentGateway {
  /** Asks the gateway to charge; its answer arrives later as a webhook. Rejects (transient) when the gateway cannot be reached. */
  charge(request: ChargeRequest): Promise<void>;
}

/** The gateway could not be reached or did not take the request: asking again with the same key is safe. */
export class GatewayUnreachableError extends Error {
  /** See transient-failure.ts: the caller retries, and the idempotency key keeps it to one charge. */
  readonly transient = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GatewayUnreachableError';
  }
}
