import { signWebhook } from '../../src/adapters/gateway/simulated-gateway.js';
import type { GatewayEvent } from '../../src/application/payments/gateway-event.js';

export const WEBHOOK_SECRET = 'whsec_test_secret';
export const WEBHOOK_NOW = '2026-03-01T09:00:00.000Z';
export const WEBHOOK_NOW_SECONDS = Math.floor(Date.parse(WEBHOOK_NOW) / 1000);

/** The gateway approved payment PAY-1, unless told otherwise. */
export const aGatewayEvent = (overrides: Partial<Record<keyof GatewayEvent, unknown>> & Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'evt_1',
  type: 'payment.succeeded',
  paymentId: 'PAY-1',
  transactionId: 'txn_1',
  reference: 'auth_1',
  createdAt: WEBHOOK_NOW,
  ...overrides,
});

/** A webhook as the gateway sends it: the body's exact text and its signature header. */
export const aSignedWebhook = (event: unknown = aGatewayEvent(), options: SigningOptions = {}) => aSignedBody(JSON.stringify(event), options);

interface SigningOptions {
  readonly secret?: string;
  readonly signedAt?: number;
}

/** Any text, signed as the gateway would sign it. */
export const aSignedBody = (rawBody: string, options: SigningOptions = {}) => ({
  rawBody,
  signature: signWebhook(options.secret ?? WEBHOOK_SECRET, rawBody, options.signedAt ?? WEBHOOK_NOW_SECONDS),
});
