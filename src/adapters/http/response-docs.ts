import type { FastifyInstance, RouteOptions } from 'fastify';
import { refusalsOf } from './operation-refusals.js';
import { problemRef } from './problem.js';
import { INTERNAL_ERROR } from './request-errors.js';
import { statusOf, type HttpErrorCode } from './status-codes.js';

/** What a route that takes a bearer token can also be refused with (access-control.ts marks it with `security`). */
const GUARDED: readonly HttpErrorCode[] = ['AUTH.UNAUTHENTICATED', 'AUTH.FORBIDDEN', 'AUTH.ACTOR_HEADER_REFUSED', 'AUTH.KEYS_UNAVAILABLE'];

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict with the current state',
  413: 'Body too large',
  415: 'Unsupported media type',
  422: 'Refused by a rule',
  500: 'Unexpected error',
  503: 'Unavailable for now (Retry-After says when to try again)',
};

/** The codes an operation can answer, by status, from the one status table. */
export const errorCodesByStatus = (codes: readonly string[]): Record<string, string[]> => {
  const byStatus: Record<string, string[]> = {};
  for (const code of [...new Set(codes)]) (byStatus[String(statusOf(code))] ??= []).push(code);
  (byStatus['500'] ??= []).push(INTERNAL_ERROR);
  return byStatus;
};

const isError = (status: string): boolean => /^[45]\d\d$/.test(status);

/**
 * Documents every operation's refusals as it is registered: each error status it can answer, with the codes that
 * answer it (in the description and in `x-error-codes`), and the shared problem shape as its body. The routes' own
 * error statuses are replaced by these, so the document says what the table says and nothing else. Call after
 * access control is installed (it marks guarded routes) and before any route is registered.
 */
export const documentRefusals = (app: FastifyInstance): void => {
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as (Record<string, unknown> & { hide?: boolean; response?: Record<string, unknown> }) | undefined;
    if (schema === undefined || schema.hide === true) return;
    const method = [route.method].flat()[0] ?? 'GET';
    const codes = [...(refusalsOf(method, route.url) ?? []), ...(schema.security === undefined ? [] : GUARDED)];
    const byStatus = errorCodesByStatus(codes);
    // A route's own bodies stay (a success, /health's 503); its problem answers are the table's.
    const own = Object.fromEntries(Object.entries(schema.response ?? {}).filter(([status, body]) => !isError(status) || body !== problemRef));
    const errors = Object.fromEntries(
      Object.entries(byStatus).map(([status, list]) => [status, { description: `${REASONS[Number(status)] ?? 'Refused'}: ${list.join(', ')}`, ...problemRef }]),
    );
    // An OpenAPI extension on the operation (@fastify/swagger copies `x-` keys); fastify ignores it.
    route.schema = { ...schema, response: { ...errors, ...own }, 'x-error-codes': byStatus } as RouteOptions['schema'];
  });
};
