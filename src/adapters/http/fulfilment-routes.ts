import type { FastifyInstance } from 'fastify';
import type { OrderFulfilmentService } from '../../application/workflows/order-fulfilment-service.js';
import { queryRoute } from './route-helpers.js';
import { identifier, object } from './schemas.js';

const STEPS = ['RESERVING_STOCK', 'AWAITING_PAYMENT_METHOD', 'AWAITING_PAYMENT', 'CONFIRMING', 'ALLOCATING', 'COMPLETED', 'CANCELLED'];
const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });

const fulfilment = {
  type: 'object',
  description: "Where the order's fulfilment workflow stands, read from its own stream (not a projection: current as of its last input).",
  properties: {
    orderId: { type: 'string' },
    step: { type: 'string', enum: STEPS },
    outcome: nullable({ type: 'string', enum: ['COMPLETED', 'COMPENSATED', 'TIMED_OUT'] }),
    paymentId: nullable({ type: 'string' }),
    startedAt: nullable({ type: 'string' }),
    finishedAt: nullable({ type: 'string' }),
    cancelReason: nullable({ type: 'string' }),
    pendingDeadline: nullable({ type: 'object', properties: { id: { type: 'string' }, dueAt: { type: 'string' } }, required: ['id', 'dueAt'] }),
    history: {
      type: 'array',
      items: {
        type: 'object',
        properties: { at: { type: 'string' }, input: { type: 'string' }, step: { type: 'string' }, sent: { type: 'array', items: { type: 'string' } } },
        required: ['at', 'input', 'step', 'sent'],
      },
    },
  },
  required: ['orderId', 'step', 'outcome', 'paymentId', 'startedAt', 'finishedAt', 'cancelReason', 'pendingDeadline', 'history'],
} as const;

export const fulfilmentRoutes = (app: FastifyInstance, service: Pick<OrderFulfilmentService, 'view'>): void => {
  queryRoute<{ orderId: string }>(app, {
    url: '/orders/:orderId/fulfilment',
    tag: 'orders',
    summary: "The order's fulfilment: current step, pending deadline and every input the workflow handled",
    params: object({ orderId: identifier }, ['orderId']),
    response: fulfilment,
    run: ({ orderId }) => service.view(orderId),
  });
};
