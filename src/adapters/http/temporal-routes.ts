import type { FastifyInstance } from 'fastify';
import { AGGREGATES } from '../../application/temporal/temporal-queries.js';
import type { HttpServices } from './http-services.js';
import { queryRoute } from './route-helpers.js';
import { anyObject, eventEnvelope, identifier, instant, numberText, object, toInstant } from './schemas.js';

type AggregatePath = { type: string; id: string };

const aggregatePath = object(
  { type: { type: 'string', enum: Object.keys(AGGREGATES), description: 'the aggregate type' }, id: identifier },
  ['type', 'id'],
);
const nullableText = { type: ['string', 'null'] } as const;

const aggregateView = {
  type: 'object',
  properties: { type: { type: 'string' }, id: { type: 'string' }, version: { type: 'integer' }, createdAt: nullableText, lastModifiedAt: nullableText, state: anyObject },
  required: ['type', 'id', 'version', 'createdAt', 'lastModifiedAt', 'state'],
} as const;

const auditPage = {
  type: 'object',
  properties: {
    streamId: { type: 'string' },
    events: { type: 'array', items: eventEnvelope },
    nextAfterVersion: { type: ['integer', 'null'], description: 'pass as afterVersion for the next page; null on the last page' },
  },
  required: ['streamId', 'events', 'nextAfterVersion'],
} as const;

/** Any aggregate as of a version or a time, and a stream's audit trail. */
export const temporalRoutes = (app: FastifyInstance, services: HttpServices): void => {
  const tag = 'history';
  queryRoute<AggregatePath, { asOfVersion?: string; asOf?: string }>(app, {
    url: '/aggregates/:type/:id',
    tag,
    summary: 'An aggregate now, or as it stood at a version or a time (a snapshot is used only if it is not newer)',
    params: aggregatePath,
    querystring: object({ asOfVersion: numberText('^[1-9][0-9]{0,8}$', 'a version from 1'), asOf: instant }, []),
    response: aggregateView,
    run: ({ type, id }, { asOfVersion, asOf }) =>
      services.temporal.aggregateAsOf(type, id, {
        ...(asOfVersion === undefined ? {} : { asOfVersion: Number(asOfVersion) }),
        ...(asOf === undefined ? {} : { asOf: toInstant(asOf) }),
      }),
  });
  queryRoute<AggregatePath, { afterVersion?: string; limit?: string }>(app, {
    url: '/aggregates/:type/:id/events',
    tag,
    summary: "The stream's audit trail: every event with who, when, correlation and causation, upcast to the current schema, a page at a time",
    params: aggregatePath,
    querystring: object(
      { afterVersion: numberText('^[0-9]{1,9}$', 'a version from 0: the page starts after it'), limit: numberText('^([1-9][0-9]{0,2}|1000)$', 'a page size from 1 to 1000; 100 when absent') },
      [],
    ),
    response: auditPage,
    run: ({ type, id }, { afterVersion, limit }) => services.temporal.auditTrail(type, id, Number(afterVersion ?? 0), Number(limit ?? 100)),
  });
};
