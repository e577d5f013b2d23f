import type { FastifyInstance } from 'fastify';
import { err, ok } from 'neverthrow';
import { domainError } from '../../domain/index.js';
import type { StoreAudit } from '../../application/audit/store-audit.js';
import { streamIdOf } from '../../application/events/envelope.js';
import { AGGREGATES } from '../../application/temporal/temporal-queries.js';
import { queryRoute } from './route-helpers.js';
import { identifier, object } from './schemas.js';

const nullableText = { type: ['string', 'null'] } as const;

const mismatch = {
  type: 'object',
  description: 'the first event of the stream that does not match its hash chain',
  properties: {
    streamId: { type: 'string' },
    version: { type: 'integer' },
    eventId: nullableText,
    kind: { type: 'string', enum: ['content-edited', 'chain-broken', 'version-gap', 'missing-hash', 'truncated', 'rewritten'] },
    expectedHash: nullableText,
    foundHash: nullableText,
    message: { type: 'string' },
  },
  required: ['streamId', 'version', 'eventId', 'kind', 'expectedHash', 'foundHash', 'message'],
} as const;

const verification = {
  type: 'object',
  properties: {
    streamId: { type: 'string' },
    verified: { type: 'boolean', description: "true when every event's hash recomputes from its stored bytes and chains from the one before it" },
    events: { type: 'integer' },
    firstMismatch: mismatch,
  },
  required: ['streamId', 'verified', 'events'],
} as const;

/** An aggregate's stream checked against its hash chain (operators only: access-rules.ts). */
export const verificationRoutes = (app: FastifyInstance, services: { readonly audit: Pick<StoreAudit, 'verifyStream'> }): void => {
  queryRoute<{ type: string; id: string }>(app, {
    url: '/aggregates/:type/:id/verification',
    tag: 'history',
    summary: "Recompute the stream's hash chain (SOX tamper evidence): 200 with verified true, or false and the first event that does not match",
    params: object({ type: { type: 'string', enum: Object.keys(AGGREGATES), description: 'the aggregate type' }, id: identifier }, ['type', 'id']),
    response: verification,
    run: async ({ type, id }) => {
      const definition = AGGREGATES[type];
      if (definition === undefined) return err(domainError('AGGREGATE.UNKNOWN_TYPE', `unknown aggregate type ${type}; known: ${Object.keys(AGGREGATES).join(', ')}`));
      const streamId = streamIdOf(definition.type, id);
      const report = await services.audit.verifyStream(streamId);
      if (report.events === 0) return err(domainError(`${definition.type.toUpperCase()}.NOT_FOUND`, `${definition.type} ${id} has no events`));
      return ok({ streamId, verified: report.verified, events: report.events, ...(report.firstMismatch === undefined ? {} : { firstMismatch: report.firstMismatch }) });
    },
  });
};
