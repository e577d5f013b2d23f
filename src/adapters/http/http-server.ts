import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { SubscriptionStatus } from '../../application/subscriptions/subscription.js';
import { installAccessControl, type HttpAuth } from './access-control.js';
import { refuseCardNumberHeaders } from './card-number-headers.js';
import { customerRoutes } from './customer-routes.js';
import { erasureRoutes } from './erasure-routes.js';
import { errorHandler } from './error-responses.js';
import { fulfilmentRoutes } from './fulfilment-routes.js';
import { gatewayRoutes } from './gateway-routes.js';
import type { HttpServices, MetricsExposition } from './http-services.js';
import { inventoryRoutes } from './inventory-routes.js';
import { ISO_FORMATS } from './iso-formats.js';
import { routeNotFoundOrMethodNotAllowed } from './method-not-allowed.js';
import { withRedaction } from './log-redaction.js';
import { operationsRoutes } from './operations-routes.js';
import { orderRoutes } from './order-routes.js';
import { ownershipFromStreams } from './ownership.js';
import { paymentRoutes } from './payment-routes.js';
import { ensureProblemSchema } from './problem.js';
import { correlationIdOf } from './request-context.js';
import { documentRefusals } from './response-docs.js';
import { useStrictJsonBodies } from './strict-json-body.js';
import { temporalRoutes } from './temporal-routes.js';
import { verificationRoutes } from './verification-routes.js';
import { validateWholeRequest } from './validation-problems.js';

/** Strict JSON: unknown fields are refused (not silently dropped), nothing is coerced, every problem is named. */
export const VALIDATION_OPTIONS = { allErrors: true, removeAdditional: false, coerceTypes: false, verbose: true, formats: ISO_FORMATS } as const;

export interface HttpServerOptions {
  readonly services: HttpServices;
  readonly metrics: MetricsExposition;
  readonly logger?: FastifyServerOptions['logger'];
  /** How bearer tokens are verified, and whether metrics and the API description need one (access-rules.ts says who may call what). */
  readonly auth: HttpAuth;
  /** The relay's status where this process runs one, for `/health`. */
  readonly relayStatus?: () => SubscriptionStatus | null;
  /** The order-fulfilment workflow's status where this process runs it, for `/health`. */
  readonly workflowStatus?: () => (SubscriptionStatus & { readonly deadlines: string | null }) | null;
}

/** The service's HTTP API over the application's use cases. Listening is the caller's business. */
export const buildHttpServer = async ({ services, metrics, logger = false, auth, relayStatus = () => null, workflowStatus = () => null }: HttpServerOptions): Promise<FastifyInstance> => {
  const app = Fastify({
    // Credentials, personal fields and card numbers in URLs never reach a log line.
    logger: withRedaction(logger),
    // The request id every log line carries (reqId) is the correlation id.
    genReqId: correlationIdOf,
    // Every array and string in the schemas is bounded, which keeps allErrors affordable.
    bodyLimit: 64 * 1024,
    ajv: { customOptions: VALIDATION_OPTIONS },
  });
  // JSON only: a text body would otherwise reach validation as a string.
  app.removeContentTypeParser('text/plain');
  useStrictJsonBodies(app);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(routeNotFoundOrMethodNotAllowed(app));
  installAccessControl(app, auth, ownershipFromStreams(services.temporal));
  // After access control, which marks the guarded routes this documents with their 401 and 403.
  documentRefusals(app);
  ensureProblemSchema(app);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-correlation-id', request.id);
  });
  app.addHook('onRequest', refuseCardNumberHeaders);
  app.addHook('preValidation', validateWholeRequest);
  await app.register(swagger, {
    // Shared schemas under their own names: the problem shape is #/components/schemas/Problem.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    openapi: {
      openapi: '3.1.0',
      // Declared once here; access-control.ts marks each route that needs it.
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      info: {
        title: 'Event-sourcing core',
        version: '0.1.0',
        description:
          'Orders, payments, inventory and customers, event-sourced. Commands answer with the new stream version; reads come from ' +
          'projections that follow the committed log within moments. Send Idempotency-Key to make a command safe to repeat, ' +
          'X-Correlation-Id to tie events together (returned on every response). Every request but /health and the gateway webhook carries ' +
          "Authorization: Bearer <JWT>; the actor recorded in each event is the token's subject. " +
          'Every error answers with the Problem shape; each operation lists the codes it can answer, by status, in x-error-codes. ' +
          'A creation answers 201 with Location naming the new aggregate. A path this API has, asked with a method it does not, ' +
          'answers 405 ROUTE.METHOD_NOT_ALLOWED with Allow; a path it does not have, 404 ROUTE.NOT_FOUND. A 503 carries Retry-After.',
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
  erasureRoutes(app, services);
  inventoryRoutes(app, services);
  orderRoutes(app, services);
  paymentRoutes(app, services);
  gatewayRoutes(app, services.gatewayWebhooks);
  fulfilmentRoutes(app, services.fulfilment);
  temporalRoutes(app, services);
  verificationRoutes(app, services);
  operationsRoutes(app, services, metrics, relayStatus, workflowStatus);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
};
