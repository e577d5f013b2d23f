import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { notFoundHandler, refuse } from './error-responses.js';
import { REQUEST_ERRORS } from './request-errors.js';

interface KnownRoute {
  readonly pattern: RegExp;
  readonly method: string;
}

/** `/orders/:orderId/ship` as a pattern over concrete paths: a parameter is one non-empty segment. */
const patternOf = (url: string): RegExp =>
  new RegExp(
    `^${url
      .split('/')
      .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/')}$`,
  );

/**
 * Remembers every route as it is registered (call before any is), and answers a request that matched none: 405 with
 * `Allow` when its path is known under other methods (RFC 9110 15.5.6), else 404. Both in the one problem shape.
 */
export const routeNotFoundOrMethodNotAllowed = (app: FastifyInstance): ((request: FastifyRequest, reply: FastifyReply) => FastifyReply) => {
  const routes: KnownRoute[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat()) routes.push({ pattern: patternOf(route.url), method });
  });
  const allowedOn = (path: string): string[] => [...new Set(routes.filter((route) => route.pattern.test(path)).map((route) => route.method))].sort();
  return (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = allowedOn(path);
    if (allowed.length === 0) return notFoundHandler(request, reply);
    reply.header('allow', allowed.join(', '));
    return refuse(reply, { code: REQUEST_ERRORS.METHOD_NOT_ALLOWED, message: `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`, details: { allow: allowed } });
  };
};
