import type { Role } from '../auth/principal.js';

/**
 * How a customer's token is matched with what a route touches. The subject of a customer's token is the customer id.
 * - `self-in-path` / `self-in-body`: the customer id in the path or body is the subject;
 * - `order-in-path`: the order's customerId (read from its stream) is the subject;
 * - `aggregate-in-path`: an order as above, a payment through its order, a customer's own stream; never inventory.
 */
export type Ownership = 'self-in-path' | 'self-in-body' | 'order-in-path' | 'aggregate-in-path';

/** A role's grant on a route: all of it, or (customers) only what they own. */
export type Grant = true | Ownership;

export type Access =
  /** Anyone: liveness probes. */
  | { readonly kind: 'open' }
  /** Authenticated by something other than a bearer token (the payment gateway's HMAC signature). */
  | { readonly kind: 'signed'; readonly by: string }
  /** Open or operators only, as configured (METRICS_ACCESS, OPENAPI_ACCESS). */
  | { readonly kind: 'configurable'; readonly setting: 'metrics' | 'openapi' }
  | { readonly kind: 'roles'; readonly grants: Readonly<Partial<Record<Role, Grant>>> };

const open = { kind: 'open' } as const;
const roles = (grants: Partial<Record<Role, Grant>>): Access => ({ kind: 'roles', grants });
const service = roles({ service: true });
const operator = roles({ operator: true });
const support = roles({ support: true });

/**
 * Who may call each route: the one table, keyed `METHOD url` as the routes are registered (fastify's `:param` syntax).
 * A route missing here stops the server from starting (access-control.ts), so a new route cannot be left open by
 * accident. `docs/access-control.md` shows this table; a test keeps the two equal.
 *
 * - customer: their own orders, payments and history; they may place, pay for, cancel and return their own orders and
 *   correct their own details (GDPR rectification);
 * - support: reads everything of the business (not operations), writes support contacts;
 * - operator: projections, integrity verification, erasure, and metrics / the API description when configured so;
 * - service: every command (a back end that also reads gets the support role in its token as well).
 */
export const ACCESS_RULES: Readonly<Record<string, Access>> = {
  'GET /health': open,
  'GET /metrics': { kind: 'configurable', setting: 'metrics' },
  'GET /openapi.json': { kind: 'configurable', setting: 'openapi' },
  'POST /payments/:paymentId/gateway-events': { kind: 'signed', by: 'the gateway signature (HMAC-SHA256 header)' },

  'POST /customers': service,
  'PATCH /customers/:customerId': roles({ service: true, customer: 'self-in-path' }),
  'POST /customers/:customerId/support-interactions': roles({ service: true, support: true }),
  'GET /customers/:customerId/orders': roles({ support: true, customer: 'self-in-path' }),
  'GET /customers/:customerId/support-history': roles({ support: true, customer: 'self-in-path' }),
  'POST /customers/:customerId/erasure': operator,

  'POST /inventory/:sku/receive': service,
  'POST /inventory/:sku/reserve': service,
  'POST /inventory/:sku/release': service,
  'POST /inventory/:sku/allocate': service,
  'GET /inventory': support,
  'GET /inventory/:sku': support,

  'POST /orders': roles({ service: true, customer: 'self-in-body' }),
  'POST /orders/:orderId/payment-method': roles({ service: true, customer: 'order-in-path' }),
  'POST /orders/:orderId/confirm': service,
  'POST /orders/:orderId/ship': service,
  'POST /orders/:orderId/deliver': service,
  'POST /orders/:orderId/cancel': roles({ service: true, customer: 'order-in-path' }),
  'POST /orders/:orderId/return': roles({ service: true, customer: 'order-in-path' }),
  'GET /orders/:orderId': roles({ support: true, customer: 'order-in-path' }),
  'GET /orders/:orderId/fulfilment': roles({ support: true, customer: 'order-in-path' }),

  'POST /payments': service,
  'POST /payments/:paymentId/complete': service,
  'POST /payments/:paymentId/cancel': service,
  'POST /payments/:paymentId/refund': service,

  'GET /aggregates/:type/:id': roles({ support: true, customer: 'aggregate-in-path' }),
  'GET /aggregates/:type/:id/events': support,
  'GET /aggregates/:type/:id/verification': operator,

  'GET /projections': operator,
  'POST /projections/:name/retry': operator,
  'POST /projections/:name/park': operator,
  'POST /projections/:name/rebuild': operator,
};

/** The rule of a route; HEAD is answered like GET (fastify adds a HEAD route for every GET). */
export const accessRuleOf = (method: string, url: string): Access | undefined => ACCESS_RULES[`${method === 'HEAD' ? 'GET' : method} ${url}`];
