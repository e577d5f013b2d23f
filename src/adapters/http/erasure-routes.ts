import type { FastifyInstance } from 'fastify';
import type { HttpServices } from './http-services.js';
import { answer } from './error-responses.js';
import { commandContext, queryHeaders } from './request-context.js';
import { commandOutcome, errorResponse, identifier, object } from './schemas.js';

/**
 * GDPR erasure (operators only: access-rules.ts): the customer's data key is deleted and `CustomerErased` recorded;
 * from then on every read shows their personal fields as "[erased]". Takes no body.
 */
export const erasureRoutes = (app: FastifyInstance, services: Pick<HttpServices, 'erasure'>): void => {
  app.post<{ Params: { customerId: string } }>(
    '/customers/:customerId/erasure',
    {
      schema: {
        tags: ['customers'],
        summary: "Erase a customer's personal data (crypto-shredding); a second erasure answers 409 CUSTOMER.ALREADY_ERASED",
        headers: queryHeaders,
        params: object({ customerId: identifier }, ['customerId']),
        response: { 200: commandOutcome, 404: errorResponse, 409: errorResponse, 500: errorResponse, 503: errorResponse },
      },
    },
    async (request, reply) => answer(reply, await services.erasure.erase(request.params.customerId, commandContext(request))),
  );
};
