import type { FastifyRequest } from 'fastify';
import type { TemporalQueries } from '../../application/temporal/temporal-queries.js';
import type { OwnershipCheck } from './access-control.js';
import { AUTH_ERRORS } from './access-control.js';
import type { Ownership } from './access-rules.js';

type Refusal = { code: string; message: string };

const notYours = (message: string): Refusal => ({ code: AUTH_ERRORS.FORBIDDEN, message });

/**
 * Another customer's order or payment is answered exactly as one that does not exist (its own NOT_FOUND): a 403 would
 * tell a customer that the id is taken. A customer id that is not the caller's is refused with 403: that answer is
 * given without reading anything, so it tells nothing.
 */
const asMissing = (kind: 'order' | 'payment', id: string): Refusal => ({ code: `${kind.toUpperCase()}.NOT_FOUND`, message: `no ${kind} ${id} among this customer's` });

const stateField = (state: unknown, field: string): unknown => (state !== null && typeof state === 'object' ? (state as Record<string, unknown>)[field] : undefined);

/**
 * Ownership read from the application's data, the aggregates' own streams (not a read model that follows a moment
 * behind: a customer may look at the order they placed a millisecond ago).
 */
export const ownershipFromStreams = (temporal: Pick<TemporalQueries, 'aggregateAsOf'>): OwnershipCheck => {
  const ownerOfOrder = async (orderId: string): Promise<{ owner: string | null } | Refusal> => {
    const order = await temporal.aggregateAsOf('order', orderId);
    if (order.isErr()) return order.error;
    const owner = stateField(order.value.state, 'customerId');
    return { owner: typeof owner === 'string' ? owner : null };
  };
  const orderOf = async (orderId: string, customerId: string, kind: 'order' | 'payment' = 'order', id = orderId): Promise<Refusal | null> => {
    const found = await ownerOfOrder(orderId);
    if ('code' in found) return found.code === 'ORDER.NOT_FOUND' ? asMissing(kind, id) : found;
    return found.owner === customerId ? null : asMissing(kind, id);
  };
  const paymentOf = async (paymentId: string, customerId: string): Promise<Refusal | null> => {
    const payment = await temporal.aggregateAsOf('payment', paymentId);
    if (payment.isErr()) return payment.error;
    const orderId = stateField(payment.value.state, 'orderId');
    return typeof orderId === 'string' ? orderOf(orderId, customerId, 'payment', paymentId) : asMissing('payment', paymentId);
  };
  const self = (given: unknown, customerId: string, where: string): Refusal | null =>
    given === customerId ? null : notYours(`a customer may act only as themselves: ${where} must be the token's subject`);

  return async (ownership: Ownership, customerId: string, request: FastifyRequest): Promise<Refusal | null> => {
    const params = (request.params ?? {}) as Record<string, string>;
    switch (ownership) {
      case 'self-in-path':
        return self(params.customerId, customerId, 'the customer id in the path');
      case 'self-in-body':
        return self((request.body as Record<string, unknown> | undefined)?.customerId, customerId, 'customerId');
      case 'order-in-path':
        return orderOf(params.orderId ?? '', customerId);
      case 'aggregate-in-path': {
        const type = (params.type ?? '').toLowerCase();
        const id = params.id ?? '';
        if (type === 'order') return orderOf(id, customerId);
        if (type === 'payment') return paymentOf(id, customerId);
        if (type === 'customer') return self(id, customerId, 'the customer id in the path');
        return notYours(`a customer may read orders, payments and their own customer record; not ${type}`);
      }
    }
  };
};
