import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler, preHandlerHookHandler, RouteOptions } from 'fastify';
import type { Principal, Role, TokenVerifier } from '../auth/principal.js';
import { accessRuleOf, type Access, type Grant, type Ownership } from './access-rules.js';
import { refuse } from './error-responses.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the bearer token says is calling; null on routes that take no token. */
    principal: Principal | null;
  }
}

/** What an HTTP request is refused with before the application sees it. */
export const AUTH_ERRORS = {
  UNAUTHENTICATED: 'AUTH.UNAUTHENTICATED',
  FORBIDDEN: 'AUTH.FORBIDDEN',
  ACTOR_HEADER_REFUSED: 'AUTH.ACTOR_HEADER_REFUSED',
  KEYS_UNAVAILABLE: 'AUTH.KEYS_UNAVAILABLE',
} as const;
export type AuthErrorCode = (typeof AUTH_ERRORS)[keyof typeof AUTH_ERRORS];

export interface HttpAuth {
  readonly verifier: TokenVerifier;
  readonly metricsAccess: 'open' | 'operator';
  readonly openapiAccess: 'open' | 'operator';
}

const REALM = 'es-core';
const quoted = (text: string): string => text.replace(/["\\]/g, "'");

const unauthenticated = (reply: FastifyReply, message: string, invalidToken: boolean): FastifyReply => {
  // RFC 6750: a request without a token gets the challenge alone; a bad token gets error="invalid_token" and why.
  reply.header('www-authenticate', `Bearer realm="${REALM}"${invalidToken ? `, error="invalid_token", error_description="${quoted(message)}"` : ''}`);
  return refuse(reply, { code: AUTH_ERRORS.UNAUTHENTICATED, message });
};

const forbidden = (reply: FastifyReply, message: string): FastifyReply => {
  reply.header('www-authenticate', `Bearer realm="${REALM}", error="insufficient_scope", error_description="${quoted(message)}"`);
  return refuse(reply, { code: AUTH_ERRORS.FORBIDDEN, message });
};

/** Roles named by the grants, for messages. */
const allowedRoles = (grants: Readonly<Partial<Record<Role, Grant>>>): string =>
  Object.entries(grants)
    .map(([role, grant]) => (grant === true ? role : `${role} (own only)`))
    .join(', ');

/** The roles that may call a route once the configurable ones are resolved; null: no token needed. */
const grantsOf = (access: Access, auth: HttpAuth): Readonly<Partial<Record<Role, Grant>>> | null => {
  switch (access.kind) {
    case 'open':
    case 'signed':
      return null;
    case 'configurable':
      return (access.setting === 'metrics' ? auth.metricsAccess : auth.openapiAccess) === 'open' ? null : { operator: true };
    case 'roles':
      return access.grants;
  }
};

/** The ownership check a customer-only pass still needs, kept on the request between the two hooks. */
const pendingOwnership = new WeakMap<FastifyRequest, Ownership>();

const authenticate =
  (auth: HttpAuth, grants: Readonly<Partial<Record<Role, Grant>>>): onRequestHookHandler =>
  async (request, reply) => {
    const header = request.headers.authorization;
    const token = header === undefined ? undefined : /^Bearer ([A-Za-z0-9_.~+/=-]+)$/i.exec(header)?.[1];
    if (header === undefined) return unauthenticated(reply, 'this request needs Authorization: Bearer <token> (npm run cli -- token --role R --subject S makes one for development)', false);
    if (token === undefined) return unauthenticated(reply, 'the Authorization header must be "Bearer <token>"', true);
    const verified = await auth.verifier.verify(token);
    if (verified.isErr()) {
      const rejection = verified.error;
      if (rejection.kind === 'keys-unavailable') {
        reply.header('retry-after', '5');
        return refuse(reply, { code: AUTH_ERRORS.KEYS_UNAVAILABLE, message: `${rejection.reason}; try again shortly` });
      }
      return unauthenticated(reply, rejection.reason, true);
    }
    const principal = verified.value;
    request.principal = principal;
    const full = principal.roles.some((role) => grants[role] === true);
    const ownership = principal.roles.includes('customer') ? grants.customer : undefined;
    if (!full && (ownership === undefined || ownership === true)) {
      return forbidden(reply, `this request needs one of the roles: ${allowedRoles(grants)}; the token has ${principal.roles.length === 0 ? 'none this service knows' : principal.roles.join(', ')}`);
    }
    // The actor of every event is the token's subject; a header claiming another would be a second, unchecked answer.
    if (request.headers['x-actor'] !== undefined) {
      return refuse(reply, { code: AUTH_ERRORS.ACTOR_HEADER_REFUSED, message: 'x-actor is not accepted: the actor recorded is the subject of the bearer token', details: { field: 'headers.x-actor' } });
    }
    if (!full && typeof ownership === 'string') pendingOwnership.set(request, ownership);
    return undefined;
  };

/** Whether the customer owns what the request touches; null when it does, else the refusal. */
export type OwnershipCheck = (ownership: Ownership, customerId: string, request: FastifyRequest) => Promise<{ code: string; message: string } | null>;

const checkOwnership =
  (owns: OwnershipCheck): preHandlerHookHandler =>
  async (request, reply) => {
    const ownership = pendingOwnership.get(request);
    if (ownership === undefined || request.principal === null) return undefined;
    const refusal = await owns(ownership, request.principal.subject, request);
    return refusal === null ? undefined : refuse(reply, refusal);
  };

/** The route's OpenAPI description says it takes a bearer token (response-docs.ts adds the 401 and 403 it may answer). */
const describedAsGuarded = (schema: RouteOptions['schema']): RouteOptions['schema'] => ({ ...(schema ?? {}), security: [{ bearer: [] }] });

const prepend = <H>(hook: H, existing: H | H[] | undefined): H[] => [hook, ...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing])];

/**
 * Every route gets its rule from ACCESS_RULES as it is registered; a route without one is a startup error. The token
 * is checked first thing (onRequest: before the body is read or validated, so an unauthenticated caller learns nothing
 * of the API), a customer's ownership after validation (preHandler: it may need the body and reads the application's
 * data). Call before any route is registered.
 */
export const installAccessControl = (app: FastifyInstance, auth: HttpAuth, owns: OwnershipCheck): void => {
  app.decorateRequest('principal', null);
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      const access = accessRuleOf(method, route.url);
      if (access === undefined) throw new Error(`route ${method} ${route.url} has no access rule: add it to ACCESS_RULES in src/adapters/http/access-rules.ts and to docs/access-control.md`);
      const grants = grantsOf(access, auth);
      if (grants === null) continue;
      if (methods.length > 1) throw new Error(`route ${methods.join('|')} ${route.url} needs a token: register one method per route so that each has its own rule`);
      route.onRequest = prepend(authenticate(auth, grants), route.onRequest);
      route.schema = describedAsGuarded(route.schema);
      if (grants.customer !== undefined && grants.customer !== true) route.preHandler = prepend(checkOwnership(owns), route.preHandler);
    }
  });
};
