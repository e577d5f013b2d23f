import Fastify, { type FastifyInstance } from 'fastify';
import { err, ok } from 'neverthrow';
import { afterEach, describe, expect, it } from 'vitest';
import { httpWebhookDelivery } from '../../src/adapters/gateway/http-webhook-delivery.js';
import { SimulatedGateway } from '../../src/adapters/gateway/simulated-gateway.js';
import { errorHandler, notFoundHandler } from '../../src/adapters/http/error-responses.js';
import { gatewayRoutes } from '../../src/adapters/http/gateway-routes.js';
import { FixedClock } from '../../src/adapters/runtime/system-runtime.js';
import type { CommandOutcome } from '../../src/application/commands/command-error.js';
import type { CommandContext } from '../../src/application/commands/command-executor.js';
import { GatewayWebhooks, type CompletePaymentCommand } from '../../src/application/payments/gateway-webhooks.js';
import { aGatewayEvent, aSignedBody, aSignedWebhook, WEBHOOK_NOW, WEBHOOK_NOW_SECONDS, WEBHOOK_SECRET } from '../support/gateway-event-mother.js';
import { ManualTimers } from '../support/manual-timers.js';

/** A bare server with the webhook route, another JSON route beside it, and a completePayment that honours idempotency keys. */
const aServer = async () => {
  const calls: { command: CompletePaymentCommand; context: CommandContext }[] = [];
  const outcomes = new Map<string, CommandOutcome>();
  const completePayment = async (command: CompletePaymentCommand, context: CommandContext) => {
    calls.push({ command, context });
    if (command.paymentId === 'PAY-UNKNOWN') return err({ code: 'PAYMENT.NOT_FOUND', message: `payment ${command.paymentId} does not exist` });
    const key = context.idempotencyKey ?? '';
    const outcome = outcomes.get(key) ?? { aggregateId: command.paymentId, streamId: `Payment-${command.paymentId}`, version: 2, eventTypes: ['PaymentProcessed'] };
    outcomes.set(key, outcome);
    return ok(outcome);
  };
  const clock = new FixedClock(WEBHOOK_NOW);
  const app = Fastify({ bodyLimit: 64 * 1024 });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  app.post('/echo', async (request) => ({ parsed: request.body }));
  gatewayRoutes(app, new GatewayWebhooks({ secret: WEBHOOK_SECRET, clock, completePayment }));
  await app.ready();
  return { app, calls, clock };
};

let server: FastifyInstance | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const post = (app: FastifyInstance, paymentId: string, rawBody: string, signature?: string) =>
  app.inject({
    method: 'POST',
    url: `/payments/${paymentId}/gateway-events`,
    headers: { 'content-type': 'application/json', 'x-correlation-id': 'corr-http', ...(signature === undefined ? {} : { 'x-gateway-signature': signature }) },
    payload: rawBody,
  });

describe('POST /payments/:paymentId/gateway-events', () => {
  it('completes the payment for a signed event, verified over the exact bytes sent', async () => {
    const { app, calls } = await aServer();
    server = app;
    // Spacing and key order a JSON parser would lose: the signature covers the text as sent.
    const { rawBody, signature } = aSignedBody(`{ "type":"payment.succeeded",  "id":"evt_1", "paymentId":"PAY-1", "transactionId":"txn_1", "createdAt":"${WEBHOOK_NOW}" }`);
    const response = await post(app, 'PAY-1', rawBody, signature);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ aggregateId: 'PAY-1', streamId: 'Payment-PAY-1', version: 2, eventTypes: ['PaymentProcessed'] });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.context).toMatchObject({ idempotencyKey: 'gateway-event:evt_1', metadata: { causationId: 'evt_1', actor: 'payment-gateway' } });
  });

  it('answers a redelivery with the first outcome', async () => {
    const { app } = await aServer();
    server = app;
    const { rawBody, signature } = aSignedWebhook();
    const first = await post(app, 'PAY-1', rawBody, signature);
    const again = await post(app, 'PAY-1', rawBody, signature);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
  });

  it('refuses with the codes and statuses of the error table', async () => {
    const { app } = await aServer();
    server = app;
    const good = aSignedWebhook();
    const cases: [string, Awaited<ReturnType<typeof post>>, number, string][] = [
      ['no signature', await post(app, 'PAY-1', good.rawBody), 401, 'GATEWAY.SIGNATURE_INVALID'],
      ['a tampered body', await post(app, 'PAY-1', good.rawBody.replace('txn_1', 'txn_2'), good.signature), 401, 'GATEWAY.SIGNATURE_INVALID'],
      ['an old signature', await post(app, 'PAY-1', good.rawBody, aSignedWebhook(aGatewayEvent(), { signedAt: WEBHOOK_NOW_SECONDS - 3600 }).signature), 401, 'GATEWAY.SIGNATURE_INVALID'],
      ['another payment', await post(app, 'PAY-2', good.rawBody, good.signature), 422, 'GATEWAY.PAYMENT_MISMATCH'],
      ['an invalid event', await post(app, 'PAY-1', ...signed(aGatewayEvent({ type: 'payment.refunded' }))), 422, 'GATEWAY.INVALID_EVENT'],
      ['signed text that is not JSON', await post(app, 'PAY-1', ...signedText('not json')), 422, 'GATEWAY.INVALID_EVENT'],
      ['an unknown payment', await post(app, 'PAY-UNKNOWN', ...signed(aGatewayEvent({ paymentId: 'PAY-UNKNOWN' }))), 404, 'PAYMENT.NOT_FOUND'],
    ];
    expect(cases.map(([name, response]) => [name, response.statusCode, (response.json() as { code: string }).code])).toEqual(cases.map(([name, , status, code]) => [name, status, code]));
  });

  it('leaves the JSON parsing of other routes as it was', async () => {
    const { app } = await aServer();
    server = app;
    const response = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"a":1}' });
    expect(response.json()).toEqual({ parsed: { a: 1 } });
  });

  it('takes the simulated gateway webhooks over real HTTP', async () => {
    const { app, calls, clock } = await aServer();
    server = app;
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const timers = new ManualTimers(clock);
    const gateway = new SimulatedGateway({ secret: WEBHOOK_SECRET, clock, timers, deliver: httpWebhookDelivery(url), log: () => undefined });
    await gateway.charge({ paymentId: 'PAY-9', orderId: 'ORD-9', amount: { amount: 4918, currency: 'EUR' }, paymentMethodToken: 'tok_decline', idempotencyKey: 'k-9' });
    await timers.advance(0);
    await gateway.close();
    expect(calls.map((call) => call.command)).toEqual([
      { type: 'CompletePayment', paymentId: 'PAY-9', transactionId: expect.stringMatching(/^txn_/), gateway: { status: 'FAILURE', error: 'card declined' } },
    ]);
  });
});

const signed = (event: unknown): [string, string] => {
  const { rawBody, signature } = aSignedWebhook(event);
  return [rawBody, signature];
};

const signedText = (text: string): [string, string] => {
  const { rawBody, signature } = aSignedBody(text);
  return [rawBody, signature];
};
