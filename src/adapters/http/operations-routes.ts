import type { FastifyInstance, FastifyReply } from 'fastify';
import { domainError } from '../../domain/index.js';
import { PROJECTION_ERRORS } from '../../application/error-codes.js';
import { refuse } from './error-responses.js';
import type { RebuildProgress } from '../../application/projections/projection-engine.js';
import type { SubscriptionStatus } from '../../application/subscriptions/subscription.js';
import type { HttpServices, MetricsExposition } from './http-services.js';
import { queryHeaders } from './request-context.js';
import { errorResponse, identifier, object } from './schemas.js';

const failure = {
  type: ['object', 'null'],
  description: 'the event the projection stopped at (a poison event, or a hole in its stream), until retried or parked',
  properties: {
    reason: { type: 'string', enum: ['POISON', 'STREAM_HOLE'] },
    eventId: { type: 'string' },
    eventType: { type: 'string' },
    streamId: { type: 'string' },
    version: { type: 'integer' },
    attempts: { type: 'integer' },
    message: { type: 'string' },
    at: { type: 'string' },
  },
} as const;

const rebuildProgress = {
  type: ['object', 'null'],
  description: 'a rebuild this instance is running: events replayed of about how many',
  properties: { done: { type: 'integer' }, total: { type: 'integer' }, eventsPerSecond: { type: 'number' }, secondsLeft: { type: 'number' }, error: { type: ['string', 'null'] } },
} as const;

const projectionStatus = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    version: { type: 'integer' },
    generation: { type: 'string', description: 'the live generation, as recorded in the store: every instance serves from it' },
    state: { type: 'string', enum: ['idle', 'running', 'standby', 'retrying', 'expired', 'failed'], description: 'standby: another instance holds its lease' },
    holder: { type: ['string', 'null'], description: 'the instance holding its lease, as this one last saw it' },
    checkpoint: { type: ['string', 'null'], description: 'the feed position handled so far (opaque)' },
    lagEvents: { type: ['integer', 'null'], description: 'committed events not yet handled; null where the feed cannot tell (DynamoDB Streams)' },
    lastLagMs: { type: 'number', description: 'commit-to-projection time of the last event handled here' },
    retries: { type: 'integer', description: 'infrastructure failures in a row, retried with back-off' },
    lastError: { type: ['string', 'null'] },
    failure,
    parked: { type: 'array', items: { type: 'string' }, description: 'ids of events set aside by an operator' },
    rebuild: rebuildProgress,
  },
  required: ['name', 'version', 'generation', 'state', 'holder', 'checkpoint', 'lagEvents', 'lastLagMs', 'retries', 'lastError', 'failure', 'parked', 'rebuild'],
} as const;

const healthResponse = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded', 'unavailable'], description: 'degraded: a projection stopped at an event, is retrying a failing store, or lost its feed position' },
    projections: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, state: { type: 'string' }, lagEvents: { type: ['integer', 'null'] } } } },
    relay: {
      type: 'object',
      description: 'the relay to the event bus, where this instance publishes (absent without EVENT_BUS_NAME)',
      properties: { state: { type: 'string' }, holder: { type: ['string', 'null'] }, retries: { type: 'integer' }, lastError: { type: ['string', 'null'] } },
    },
    workflow: {
      type: 'object',
      description: 'the order-fulfilment workflow, where this instance runs it (absent with FULFILMENT=manual or CONSUMERS=off)',
      properties: {
        state: { type: 'string' },
        holder: { type: ['string', 'null'] },
        retries: { type: 'integer' },
        lastError: { type: ['string', 'null'] },
        deadlines: { type: ['string', 'null'], description: 'why firing due deadlines last failed; null when it worked' },
      },
    },
  },
  required: ['status'],
} as const;

/** Health, metrics and the operator's projection commands (the CLI cannot open a store the server holds). */
export const operationsRoutes = (
  app: FastifyInstance,
  services: HttpServices,
  metrics: MetricsExposition,
  relayStatus: () => SubscriptionStatus | null,
  workflowStatus: () => (SubscriptionStatus & { readonly deadlines: string | null }) | null,
): void => {
  const tags = ['operations'];
  app.get('/health', { schema: { tags, summary: 'Is the store reachable, and are the projections running', headers: queryHeaders, response: { 200: healthResponse, 503: healthResponse } } }, async (request, reply) => {
    try {
      const statuses = await services.projections.status();
      const projections = statuses.map(({ name, state, lagEvents }) => ({ name, state, lagEvents }));
      const relay = relayStatus();
      const unwell = (state: string): boolean => state === 'failed' || state === 'stopped' || state === 'retrying' || state === 'expired';
      const workflow = workflowStatus();
      const degraded = statuses.some((s) => unwell(s.state)) || (relay !== null && unwell(relay.state)) || (workflow !== null && (unwell(workflow.state) || workflow.deadlines !== null));
      const shownRelay = relay === null ? {} : { relay: { state: relay.state, holder: relay.holder, retries: relay.retries, lastError: relay.lastError } };
      const shownWorkflow =
        workflow === null ? {} : { workflow: { state: workflow.state, holder: workflow.holder, retries: workflow.retries, lastError: workflow.lastError, deadlines: workflow.deadlines } };
      return reply.send({ status: degraded ? 'degraded' : 'ok', projections, ...shownRelay, ...shownWorkflow });
    } catch (error) {
      request.log.error({ err: error }, 'health check failed');
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
  const exposition = { description: 'Prometheus text exposition format 0.0.4', content: { 'text/plain': { schema: { type: 'string' } } } } as const;
  app.get('/metrics', { schema: { tags, summary: 'Prometheus text: the ADR metrics and projection lag', response: { 200: exposition } } }, async (_request, reply) => {
    const { contentType, text } = await metrics.exposition();
    return reply.type(contentType).send(text);
  });
  const rebuilds = new Map<string, RebuildProgress & { error: string | null }>();
  const statuses = async () => (await services.projections.status()).map((status) => ({ ...status, rebuild: rebuilds.get(status.name) ?? null }));
  app.get('/projections', { schema: { tags, summary: "Each projection's generation, lease holder, checkpoint, lag and failure", headers: queryHeaders, response: { 200: { type: 'array', items: projectionStatus } } } }, async () =>
    statuses(),
  );

  const projectionPath = object({ name: identifier }, ['name']);
  const operate = (action: 'retry' | 'park', summary: string): void => {
    app.post<{ Params: { name: string } }>(
      `/projections/:name/${action}`,
      {
        schema: {
          tags,
          summary: `${summary} (operator role)`,
          headers: queryHeaders,
          params: projectionPath,
          response: { 200: projectionStatus, 401: errorResponse, 403: errorResponse, 404: errorResponse, 500: errorResponse },
        },
      },
      async (request, reply): Promise<FastifyReply> => {
        const { name } = request.params;
        const statusOf = async () => (await statuses()).find((status) => status.name === name);
        if ((await statusOf()) === undefined) return refuse(reply, domainError(PROJECTION_ERRORS.NOT_FOUND, `no projection named ${name}; GET /projections lists them`));
        await services.projections[action](name);
        return reply.send(await statusOf());
      },
    );
  };
  operate('retry', 'Clear a stopped projection so that it tries its poison event again');
  operate('park', 'Set a stopped projection\'s poison event aside (recorded, never silently dropped) and go on past it');
  rebuildRoute(app, services, rebuilds);
};

/**
 * Rebuild over HTTP, for an operator: the CLI cannot open a PGlite folder the server holds.
 * Answers 202 at once; the rebuild runs here while the live generation keeps serving, and GET /projections
 * shows its progress (on this instance) and, once switched, the new generation (on every instance).
 */
const rebuildRoute = (
  app: FastifyInstance,
  services: HttpServices,
  rebuilds: Map<string, RebuildProgress & { error: string | null }>,
): void => {
  const accepted = { type: 'object', properties: { name: { type: 'string' }, status: { type: 'string', enum: ['rebuilding'] } }, required: ['name', 'status'] } as const;
  app.post<{ Params: { name: string } }>(
    '/projections/:name/rebuild',
    {
      schema: {
        tags: ['operations'],
        summary: 'Replay a projection into a fresh generation, then switch every instance to it (operator role)',
        headers: queryHeaders,
        params: object({ name: identifier }, ['name']),
        response: { 202: accepted, 401: errorResponse, 403: errorResponse, 404: errorResponse, 409: errorResponse },
      },
    },
    async (request, reply): Promise<FastifyReply> => {
      const { name } = request.params;
      if (!(await services.projections.status()).some((status) => status.name === name)) {
        return refuse(reply, domainError(PROJECTION_ERRORS.NOT_FOUND, `no projection named ${name}; GET /projections lists them`));
      }
      const running = rebuilds.get(name);
      // Listed without an error means still running: its entry goes once it has switched and retired the old generation.
      if (running !== undefined && running.error === null) {
        return refuse(reply, domainError(PROJECTION_ERRORS.REBUILD_IN_PROGRESS, `${name} is being rebuilt (${running.done} of about ${running.total} events); GET /projections shows its progress`));
      }
      rebuilds.set(name, { done: 0, total: 1, eventsPerSecond: 0, secondsLeft: 0, error: null });
      services.projections
        .rebuild(name, (progress) => rebuilds.set(name, { ...progress, error: null }))
        .then(
          () => rebuilds.delete(name),
          (error: unknown) => {
            request.log.error({ err: error }, 'rebuild failed');
            rebuilds.set(name, { done: 0, total: 0, eventsPerSecond: 0, secondsLeft: 0, error: error instanceof Error ? error.message : String(error) });
          },
        );
      return reply.code(202).send({ name, status: 'rebuilding' });
    },
  );
};
