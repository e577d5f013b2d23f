import type { FastifyInstance } from 'fastify';
import type { GatewayWebhooks } from '../../application/payments/gateway-webhooks.js';
import { GATEWAY_SIGNATURE_HEADER } from '../gateway/http-webhook-delivery.js';
import { answer } from './error-responses.js';
import { ensureProblemSchema } from './problem.js';
import { queryHeaders } from './request-context.js';
import { utf8Of } from './strict-json-body.js';
import { commandOutcome, errorResponse, identifier, object } from './schemas.js';

const refusals = (statuses: readonly number[]) => Object.fromEntries(statuses.map((status) => [status, errorResponse]));

/**
 * Where the payment gateway sends its answers. The signature is an HMAC over the exact bytes sent, so this route
 * takes its JSON body as the raw string (in its own plugin scope: every other route keeps fastify's JSON parser)
 * and leaves parsing to the application, after the signature is checked.
 */
export const gatewayRoutes = (app: FastifyInstance, webhooks: GatewayWebhooks): void => {
  void app.register(async (scope) => {
    ensureProblemSchema(scope);
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
      // Not UTF-8 is a 400 here too: decoded with replacement characters, the body would no longer be the bytes signed.
      try {
        done(null, utf8Of(body));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
    scope.route<{ Params: { paymentId: string }; Body: string }>({
      method: 'POST',
      url: '/payments/:paymentId/gateway-events',
      schema: {
        tags: ['payments'],
        summary: "The payment gateway's webhook: a signed event (payment.succeeded or payment.failed) that completes the payment",
        description:
          `The body is the gateway's JSON event, signed in the ${GATEWAY_SIGNATURE_HEADER} header as t=<unix seconds>,v1=<hex HMAC-SHA256 ` +
          'of "<t>.<body>"> with the shared secret. A redelivered event (same id) answers with the first outcome and changes nothing.',
        headers: { type: 'object', properties: { ...queryHeaders.properties, [GATEWAY_SIGNATURE_HEADER]: { type: 'string', maxLength: 1024 } } },
        params: object({ paymentId: identifier }, ['paymentId']),
        response: { 200: commandOutcome, ...refusals([400, 401, 404, 409, 415, 422, 500, 503]) },
      },
      handler: async (request, reply) => {
        const signature = request.headers[GATEWAY_SIGNATURE_HEADER];
        const received = await webhooks.receive(request.params.paymentId, typeof request.body === 'string' ? request.body : '', typeof signature === 'string' ? signature : undefined, {
          correlationId: request.id,
        });
        return answer(reply, received);
      },
    });
  });
};
