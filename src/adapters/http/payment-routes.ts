import type { FastifyInstance } from 'fastify';
import type { PaymentCommandHandlers } from '../../application/commands/payment-command-handlers.js';
import type { HttpServices } from './http-services.js';
import { commandRoute, type BodyOf } from './route-helpers.js';
import { currency, identifier, object, positiveInteger, text } from './schemas.js';

type Payments = PaymentCommandHandlers;
type PaymentPath = { paymentId: string };

const paymentPath = object({ paymentId: identifier }, ['paymentId']);
const amount = { ...positiveInteger(1_000_000_000_000), description: 'an amount in integer minor units (cents)' } as const;

/** Payments are read through the aggregate and audit routes: the ADR names no payment read model. */
export const paymentRoutes = (app: FastifyInstance, services: HttpServices): void => {
  const tag = 'payments';
  commandRoute<unknown, BodyOf<Payments['request']>>(app, {
    url: '/payments',
    tag,
    summary: 'Request a payment for an order with a payment provider token (a card number is refused and never stored)',
    body: object(
      {
        paymentId: identifier,
        orderId: identifier,
        amount,
        currency,
        paymentMethodToken: text(200, 'the token your payment provider issued (never a card number)'),
      },
      ['paymentId', 'orderId', 'amount', 'currency', 'paymentMethodToken'],
    ),
    creates: true,
    run: (_path, body, context) => services.payments.request(body, context),
  });
  commandRoute<PaymentPath, BodyOf<Payments['complete'], 'paymentId'>>(app, {
    url: '/payments/:paymentId/complete',
    tag,
    summary: "Record the gateway's answer to a requested payment",
    params: paymentPath,
    body: object(
      {
        transactionId: identifier,
        gateway: object({ status: { type: 'string', enum: ['SUCCESS', 'FAILURE'] }, reference: text(200), error: text(500) }, ['status']),
      },
      ['transactionId', 'gateway'],
    ),
    run: ({ paymentId }, body, context) => services.payments.complete({ paymentId, ...body }, context),
  });
  commandRoute<PaymentPath, BodyOf<Payments['refund'], 'paymentId'>>(app, {
    url: '/payments/:paymentId/refund',
    tag,
    summary: 'Refund some or all of a processed payment',
    params: paymentPath,
    body: object({ amount, reason: text(500) }, ['amount', 'reason']),
    run: ({ paymentId }, body, context) => services.payments.refund({ paymentId, ...body }, context),
  });
};
