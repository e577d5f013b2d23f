import { err, ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../../src/adapters/runtime/system-runtime.js';
import type { CommandOutcome } from '../../../src/application/commands/command-error.js';
import type { CommandContext } from '../../../src/application/commands/command-executor.js';
import { GatewayWebhooks, type CompletePaymentCommand } from '../../../src/application/payments/gateway-webhooks.js';
import { aGatewayEvent, aSignedBody, aSignedWebhook, WEBHOOK_NOW, WEBHOOK_NOW_SECONDS, WEBHOOK_SECRET } from '../../support/gateway-event-mother.js';

const OUTCOME: CommandOutcome = { aggregateId: 'PAY-1', streamId: 'Payment-PAY-1', version: 2, eventTypes: ['PaymentProcessed'] };
const TRACE = { correlationId: 'corr-1' };

/** A completePayment that keeps its promise on idempotency keys, as the command executor does: a repeat returns the first outcome. */
const aPaymentCompleter = () => {
  const calls: { command: CompletePaymentCommand; context: CommandContext }[] = [];
  const outcomes = new Map<string, CommandOutcome>();
  let appended = 0;
  const completePayment = async (command: CompletePaymentCommand, context: CommandContext) => {
    calls.push({ command, context });
    const first = context.idempotencyKey === undefined ? undefined : outcomes.get(context.idempotencyKey);
    if (first !== undefined) return ok(first);
    appended += 1;
    const outcome = { ...OUTCOME, version: 1 + appended };
    if (context.idempotencyKey !== undefined) outcomes.set(context.idempotencyKey, outcome);
    return ok(outcome);
  };
  return { completePayment, calls, appended: () => appended };
};

const webhooksWith = (completer = aPaymentCompleter(), toleranceSeconds?: number) => {
  const clock = new FixedClock(WEBHOOK_NOW);
  const webhooks = new GatewayWebhooks({ secret: WEBHOOK_SECRET, clock, completePayment: completer.completePayment, ...(toleranceSeconds === undefined ? {} : { toleranceSeconds }) });
  return { webhooks, clock, completer };
};

const refusalOf = async (received: ReturnType<GatewayWebhooks['receive']>) => (await received)._unsafeUnwrapErr();

describe('GatewayWebhooks', () => {
  it('completes the payment once for a correctly signed approval, keyed and traced by the gateway event', async () => {
    const { webhooks, completer } = webhooksWith();
    const { rawBody, signature } = aSignedWebhook();
    const received = await webhooks.receive('PAY-1', rawBody, signature, TRACE);
    expect(received._unsafeUnwrap()).toEqual({ ...OUTCOME, version: 2 });
    expect(completer.calls).toEqual([
      {
        command: { type: 'CompletePayment', paymentId: 'PAY-1', transactionId: 'txn_1', gateway: { status: 'SUCCESS', reference: 'auth_1' } },
        context: { idempotencyKey: 'gateway-event:evt_1', metadata: { correlationId: 'corr-1', causationId: 'evt_1', actor: 'payment-gateway' } },
      },
    ]);
  });

  it('records a decline as a failed payment with its reason', async () => {
    const { webhooks, completer } = webhooksWith();
    const { rawBody, signature } = aSignedWebhook(aGatewayEvent({ type: 'payment.failed', reference: undefined, failureReason: 'card declined' }));
    (await webhooks.receive('PAY-1', rawBody, signature, TRACE))._unsafeUnwrap();
    expect(completer.calls[0]?.command.gateway).toEqual({ status: 'FAILURE', error: 'card declined' });
  });

  it('answers a redelivered event with the first outcome, relying on the idempotency key, and appends nothing more', async () => {
    const { webhooks, completer, clock } = webhooksWith();
    const first = aSignedWebhook();
    clock.advance(90_000);
    const again = aSignedWebhook(aGatewayEvent(), { signedAt: WEBHOOK_NOW_SECONDS + 90 });
    const outcomes = [await webhooks.receive('PAY-1', first.rawBody, first.signature, TRACE), await webhooks.receive('PAY-1', again.rawBody, again.signature, TRACE)];
    expect(outcomes.map((outcome) => outcome._unsafeUnwrap())).toEqual([
      { ...OUTCOME, version: 2 },
      { ...OUTCOME, version: 2 },
    ]);
    expect(completer.calls.map((call) => call.context.idempotencyKey)).toEqual(['gateway-event:evt_1', 'gateway-event:evt_1']);
    expect(completer.appended()).toBe(1);
  });

  it('passes on the refusal of the command it leads to', async () => {
    const completePayment = async () => err({ code: 'PAYMENT.NOT_FOUND', message: 'payment PAY-1 does not exist' });
    const webhooks = new GatewayWebhooks({ secret: WEBHOOK_SECRET, clock: new FixedClock(WEBHOOK_NOW), completePayment });
    const { rawBody, signature } = aSignedWebhook();
    expect((await refusalOf(webhooks.receive('PAY-1', rawBody, signature, TRACE))).code).toBe('PAYMENT.NOT_FOUND');
  });

  describe('refuses as GATEWAY.SIGNATURE_INVALID, completing nothing', () => {
    const cases: [string, (webhook: { rawBody: string; signature: string }) => { rawBody: string; signature: string | undefined }][] = [
      ['no signature', ({ rawBody }) => ({ rawBody, signature: undefined })],
      ['an empty signature', ({ rawBody }) => ({ rawBody, signature: '' })],
      ['a malformed signature', ({ rawBody }) => ({ rawBody, signature: 'sha256=abc' })],
      ['a signature without a time', ({ rawBody, signature }) => ({ rawBody, signature: signature.replace(/^t=\d+,/, '') })],
      ['a signature made with another secret', () => aSignedWebhook(aGatewayEvent(), { secret: 'whsec_someone_else' })],
      ['a tampered body', ({ rawBody, signature }) => ({ rawBody: rawBody.replace('payment.succeeded', 'payment.failed'), signature })],
      ['a signature whose time was changed', ({ rawBody, signature }) => ({ rawBody, signature: signature.replace(/^t=\d+/, `t=${WEBHOOK_NOW_SECONDS + 1}`) })],
      ['a signature older than five minutes', () => aSignedWebhook(aGatewayEvent(), { signedAt: WEBHOOK_NOW_SECONDS - 301 })],
      ['a signature from more than five minutes ahead', () => aSignedWebhook(aGatewayEvent(), { signedAt: WEBHOOK_NOW_SECONDS + 301 })],
    ];
    it.each(cases)('%s', async (_name, tamper) => {
      const { webhooks, completer } = webhooksWith();
      const { rawBody, signature } = tamper(aSignedWebhook());
      expect(await refusalOf(webhooks.receive('PAY-1', rawBody, signature, TRACE))).toMatchObject({ code: 'GATEWAY.SIGNATURE_INVALID' });
      expect(completer.calls).toEqual([]);
    });
  });

  it('accepts a signature five minutes old, any of several v1 signatures, and a tolerance of its own', async () => {
    const { webhooks } = webhooksWith();
    const old = aSignedWebhook(aGatewayEvent(), { signedAt: WEBHOOK_NOW_SECONDS - 300 });
    expect((await webhooks.receive('PAY-1', old.rawBody, old.signature, TRACE)).isOk()).toBe(true);
    const rolled = aSignedWebhook(aGatewayEvent({ id: 'evt_2' }));
    const [time, current] = rolled.signature.split(',');
    const [, retired] = aSignedWebhook(aGatewayEvent({ id: 'evt_2' }), { secret: 'whsec_retired' }).signature.split(',');
    expect((await webhooks.receive('PAY-1', rolled.rawBody, `${time},${retired},${current}`, TRACE)).isOk()).toBe(true);
    const strict = webhooksWith(aPaymentCompleter(), 30).webhooks;
    const minuteOld = aSignedWebhook(aGatewayEvent(), { signedAt: WEBHOOK_NOW_SECONDS - 60 });
    expect((await refusalOf(strict.receive('PAY-1', minuteOld.rawBody, minuteOld.signature, TRACE))).code).toBe('GATEWAY.SIGNATURE_INVALID');
  });

  it('refuses an event about another payment than its URL names as GATEWAY.PAYMENT_MISMATCH', async () => {
    const { webhooks, completer } = webhooksWith();
    const { rawBody, signature } = aSignedWebhook(aGatewayEvent({ paymentId: 'PAY-2' }));
    expect(await refusalOf(webhooks.receive('PAY-1', rawBody, signature, TRACE))).toMatchObject({
      code: 'GATEWAY.PAYMENT_MISMATCH',
      details: { paymentIdInPath: 'PAY-1', paymentIdInEvent: 'PAY-2' },
    });
    expect(completer.calls).toEqual([]);
  });

  describe('refuses a signed body that is not a valid event as GATEWAY.INVALID_EVENT, saying what is wrong', () => {
    const cases: [string, unknown, RegExp][] = [
      ['an unknown type', aGatewayEvent({ type: 'payment.disputed' }), /type must be one of/],
      ['no transaction id', aGatewayEvent({ transactionId: undefined }), /transactionId is required/],
      ['no event id', aGatewayEvent({ id: undefined }), /id must be/],
      ['no creation time', aGatewayEvent({ createdAt: 'yesterday' }), /createdAt must be/],
      ['a blank reference', aGatewayEvent({ reference: '  ' }), /reference must be non-blank/],
      ['a NUL in the transaction id, which no store keeps', aGatewayEvent({ transactionId: 'txn_\u00001' }), /transactionId must be non-blank/],
      ['half an emoji in the failure reason', aGatewayEvent({ failureReason: 'declined \uD83D' }), /failureReason must be non-blank/],
      ['a card number in the failure reason', aGatewayEvent({ type: 'payment.failed', failureReason: 'declined: 4111 1111 1111 1111' }), /\$\.failureReason contains what looks like a card number/],
      ['a card number in a field it does not know', aGatewayEvent({ card: { number: 4111111111111111 } }), /\$\.card\.number contains what looks like a card number/],
      ['an array', [aGatewayEvent()], /must be a JSON object/],
    ];
    it.each(cases)('%s', async (_name, event, problem) => {
      const { webhooks, completer } = webhooksWith();
      const { rawBody, signature } = aSignedWebhook(event);
      const refusal = await refusalOf(webhooks.receive('PAY-1', rawBody, signature, TRACE));
      expect(refusal).toMatchObject({ code: 'GATEWAY.INVALID_EVENT', details: { problems: expect.arrayContaining([expect.stringMatching(problem)]) } });
      expect(refusal.message).not.toMatch(/4111/);
      expect(completer.calls).toEqual([]);
    });

    it('a body that is not JSON', async () => {
      const { webhooks } = webhooksWith();
      const { rawBody, signature } = aSignedBody('{"id": "evt_1",');
      const refusal = await refusalOf(webhooks.receive('PAY-1', rawBody, signature, TRACE));
      expect(refusal).toMatchObject({ code: 'GATEWAY.INVALID_EVENT', details: { problems: ['the body is not JSON'] } });
    });
  });
});
