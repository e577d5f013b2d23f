import type { FastifyInstance } from 'fastify';
import type { PaymentCommand } from '../../application/commands/commands.js';
import type { HttpServices } from './http-services.js';
import { commandRoute, commandSpec, type BodyOf, type CommandRoute } from './route-helpers.js';
import { currency, identifier, object, positiveInteger, text } from './schemas.js';

type Body<T extends PaymentCommand['type']> = BodyOf<PaymentCommand, T, 'paymentId'>;
type PaymentPath = { paymentId: string };

const paymentPath = object({ paymentId: identifier }, ['paymentId']);
const amount = { ...positiveInteger(1_000_000_000_000), description: 'an amount in integer minor units (cents)' } as const;

export const paymentCommands = (services: Pick<HttpServices, 'payments'>): CommandRoute[] => {
  const tag = 'payments';
  return [
    commandSpec<unknown, BodyOf<PaymentCommand, 'RequestPayment'>>({
      command: 'RequestPayment',
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
      run: (_path, body, context) => services.payments.handle({ type: 'RequestPayment', ...body }, context),
    }),
    commandSpec<PaymentPath, Body<'CompletePayment'>>({
      command: 'CompletePayment',
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
      run: ({ paymentId }, body, context) => services.payments.handle({ type: 'CompletePayment', paymentId, ...body }, context),
    }),
    commandSpec<PaymentPath, Body<'CancelPayment'>>({
      command: 'CancelPayment',
      url: '/payments/:paymentId/cancel',
      tag,
      summary: 'Cancel a requested payment the gateway has not answered',
      params: paymentPath,
      body: object({ reason: text(500) }, ['reason']),
      run: ({ paymentId }, body, context) => services.payments.handle({ type: 'CancelPayment', paymentId, ...body }, context),
    }),
    commandSpec<PaymentPath, Body<'RefundPayment'>>({
      command: 'RefundPayment',
      url: '/payments/:paymentId/refund',
      tag,
      summary: 'Refund some or all of a processed payment',
      params: paymentPath,
      body: object({ amount, reason: text(500) }, ['amount', 'reason']),
      run: ({ paymentId }, body, context) => services.payments.handle({ type: 'RefundPayment', paymentId, ...body }, context),
    }),
  ];
};

/** Payments are read through the aggregate and audit routes: the ADR names no payment read model. */
export const paymentRoutes = (app: FastifyInstance, services: HttpServices): void => {
  for (const spec of paymentCommands(services)) commandRoute(app, spec);
};
