import type { WebhookDelivery } from './simulated-gateway.js';

/** The header a gateway webhook carries its signature in. */
export const GATEWAY_SIGNATURE_HEADER = 'x-gateway-signature';

/**
 * Delivers webhooks the way a real gateway does: an HTTP POST of the signed body to
 * `<baseUrl>/payments/<id>/gateway-events`. Anything but a 2xx answer, or no answer within the timeout, is a
 * failed delivery, which the gateway retries.
 */
export const httpWebhookDelivery =
  (baseUrl: string, timeoutMs = 10_000): WebhookDelivery =>
  async (paymentId, rawBody, signature) => {
    const url = `${baseUrl.replace(/\/+$/, '')}/payments/${encodeURIComponent(paymentId)}/gateway-events`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [GATEWAY_SIGNATURE_HEADER]: signature },
      body: rawBody,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const answer = await response.text();
    if (!response.ok) throw new Error(`the service answered the webhook with ${response.status}: ${answer.slice(0, 200)}`);
  };
