import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { SubscriptionStatus } from '../../application/subscriptions/subscription.js';
import { customerRoutes } from './customer-routes.js';
import { errorHandler, notFoundHandler } from './error-responses.js';
import { fulfilmentRoutes } from './fulfilment-routes.js';
import { gatewayRoutes } from './gateway-routes.js';
import type { HttpServices, MetricsExposition } from './http-services.js';
import { inventoryRoutes } from './inventory-routes.js';
import { operationsRoutes } from './operations-routes.js';
import { orderRoutes } from './order-routes.js';
import { paymentRoutes } from './payment-routes.js';
import { correlationIdOf } from './request-context.js';
import { temporalRoutes } from './temporal-routes.js';
import { validateWholeRequest } from './validation-problems.js';

export interface HttpServerOptions {
  readonly services: HttpServices;
  readonly metrics: MetricsExposition;
  readonly logger?: FastifyServerOptions['logger'];
  /** The bearer token operator requests (rebuild) must carry; null refuses them all. */
  readonly operatorToken?: string | null;
  /** The relay's status where this process runs one, for `/health`. */
  readonly relayStatus?: () => SubscriptionStatus | null;
  /** The order-fulfilment workflow's status where this process runs it, for `/health`. */
  readonly workflowStatus?: () => (SubscriptionStatus & { readonly deadlines: string | null }) | null;
}

/** The service's HTTP API over the application's use cases. Listening is the caller's business. */
export const buildHttpServer = async ({ services, metrics, logger = false, operatorToken = null, relayStatus = () => null, workflowStatus = () => null }: HttpServerOptions): Promise<FastifyInstance> => {
  const app = Fastify({
    logger,
    // The request id every log line carries (reqId) is the correlation id.
    genReqId: correlationIdOf,
    // Every array and string in the schemas is bounded, which keeps allErrors affordable.
    bodyLimit: 64 * 1024,
    ajv: {
      // Strict JSON: unknown fields are refused (not silently dropped), nothing is coerced, every problem is named.
      customOptions: { allErrors: true, removeAdditional: false, coerceTypes: false, verbose: true },
    },
  });
  // JSON only: a text body would otherwise reach validation as a string.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-correlation-id', request.id);
  });
  app.addHook('preValidation', validateWholeRequest);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Event-sourcing core',
        version: '0.1.0',
        description:
          'Orders, payments, inventory and customers, event-sourced. Commands answer with the new stream version; reads come from ' +
          'projections that follow the committed log within moments. Send Idempotency-Key to make a command safe to repeat, ' +
          'X-Correlation-Id to tie events together (returned on every response) and X-Actor to say who acts.',
      },
      tags: [
        { name: 'customers' },
        { name: 'inventory' },
        { name: 'orders' },
        { name: 'payments' },
        { name: 'history', description: 'temporal queries and the audit trail' },
        { name: 'operations' },
      ],
    },
  });
  customerRoutes(app, services);
  inventoryRoutes(app, services);
  orderRoutes(app, services);
  paymentRoutes(app, services);
  gatewayRoutes(app, services.gatewayWebhooks);
  fulfilmentRoutes(app, services.fulfilment);
  temporalRoutes(app, services);
  operationsRoutes(app, services, metrics, operatorToken, relayStatus, workflowStatus);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
};
