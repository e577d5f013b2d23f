import type { FastifyInstance, FastifyReply } from 'fastify';
import { domainError } from '../../domain/index.js';
import { refuse } from './error-responses.js';
import type { HttpServices, MetricsExposition } from './http-services.js';
import { queryHeaders } from './request-context.js';
import { errorResponse, identifier, object } from './schemas.js';

const projectionStatus = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    version: { type: 'integer' },
    generation: { type: 'string' },
    state: { type: 'string', enum: ['running', 'stopped', 'failed'] },
    checkpoint: { type: 'integer' },
    head: { type: 'integer' },
    lagEvents: { type: 'integer', description: 'head position minus checkpoint' },
    lastLagMs: { type: 'number', description: 'commit-to-projection time of the last event handled' },
    failure: {
      type: ['object', 'null'],
      description: 'the poison event the projection stopped at, until retried or parked',
      properties: {
        position: { type: 'integer' },
        eventId: { type: 'string' },
        eventType: { type: 'string' },
        streamId: { type: 'string' },
        attempts: { type: 'integer' },
        message: { type: 'string' },
      },
    },
    parked: { type: 'array', items: { type: 'string' }, description: 'ids of events set aside by an operator' },
  },
  required: ['name', 'version', 'generation', 'state', 'checkpoint', 'head', 'lagEvents', 'lastLagMs', 'failure', 'parked'],
} as const;

const healthResponse = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded', 'unavailable'], description: 'degraded: a projection stopped at a poison event' },
    projections: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, state: { type: 'string' }, lagEvents: { type: 'integer' } } } },
  },
  required: ['status'],
} as const;

/** Health, metrics and the operator's projection commands (the CLI cannot open a store the server holds). */
export const operationsRoutes = (app: FastifyInstance, services: HttpServices, metrics: MetricsExposition): void => {
  const tags = ['operations'];
  app.get('/health', { schema: { tags, summary: 'Is the store reachable, and are the projections running', headers: queryHeaders, response: { 200: healthResponse, 503: healthResponse } } }, async (request, reply) => {
    try {
      const statuses = await services.projections.status();
      const projections = statuses.map(({ name, state, lagEvents }) => ({ name, state, lagEvents }));
      return reply.send({ status: statuses.some((s) => s.state === 'failed') ? 'degraded' : 'ok', projections });
    } catch (error) {
      request.log.error({ err: error }, 'health check failed');
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
  app.get('/metrics', { schema: { tags, summary: 'Prometheus text: the ADR metrics and projection lag' } }, async (_request, reply) => {
    const { contentType, text } = await metrics.exposition();
    return reply.type(contentType).send(text);
  });
  app.get('/projections', { schema: { tags, summary: "Each projection's generation, checkpoint, lag and failure", headers: queryHeaders, response: { 200: { type: 'array', items: projectionStatus } } } }, async () =>
    services.projections.status(),
  );

  const projectionPath = object({ name: identifier }, ['name']);
  const operate = (action: 'retry' | 'park', summary: string): void => {
    app.post<{ Params: { name: string } }>(
      `/projections/:name/${action}`,
      { schema: { tags, summary, headers: queryHeaders, params: projectionPath, response: { 200: projectionStatus, 404: errorResponse, 500: errorResponse } } },
      async (request, reply): Promise<FastifyReply> => {
        const { name } = request.params;
        const statusOf = async () => (await services.projections.status()).find((status) => status.name === name);
        if ((await statusOf()) === undefined) return refuse(reply, domainError('PROJECTION.NOT_FOUND', `no projection named ${name}; GET /projections lists them`));
        await services.projections[action](name);
        return reply.send(await statusOf());
      },
    );
  };
  operate('retry', 'Clear a stopped projection so that it tries its poison event again');
  operate('park', 'Set a stopped projection\'s poison event aside (recorded, never silently dropped) and go on past it');
};
