import { randomUUID } from 'node:crypto';
import type { FastifyRequest, RawRequestDefaultExpression } from 'fastify';
import type { CommandContext } from '../../application/commands/command-executor.js';
import { containsCardNumber } from '../../domain/index.js';
import { callerTraceOf, traceContextHeaders } from './trace-headers.js';

/** Visible ASCII only: these values go into stored metadata and back out in response headers. */
export const TOKEN = '^[\\x21-\\x7e]{1,128}$';
export const tokenHeader = (meaning: string) => ({ type: 'string', pattern: TOKEN, description: `1 to 128 visible ASCII characters: ${meaning}` }) as const;

const traceHeaders = {
  'x-correlation-id': tokenHeader('ties every event of one request or saga together; generated when absent and returned on every response'),
  ...traceContextHeaders,
} as const;

/** Headers every route reads. */
export const queryHeaders = { type: 'object', properties: traceHeaders } as const;

/** Headers a command reads: why it is sent and the key that makes a repeat safe (who acts is the bearer token's subject). */
export const commandHeaders = {
  type: 'object',
  properties: {
    ...traceHeaders,
    'x-causation-id': tokenHeader('the id of the message that caused this command'),
    // `sqs:` keys are the command queue's (the message id): a client's key never answers for a message, nor the reverse.
    'idempotency-key': { ...tokenHeader('a repeat with the same key returns the first outcome and appends nothing; not starting with "sqs:"'), not: { pattern: '^sqs:' } },
  },
} as const;

const CORRELATION_ID = new RegExp(TOKEN);

/**
 * The request id fastify logs with is the correlation id: the caller's when it is well formed and holds no card
 * number. This runs before the first log line, so a card number never becomes the request id (the request is then
 * refused by card-number-headers.ts).
 */
export const correlationIdOf = (request: RawRequestDefaultExpression): string => {
  const given = request.headers['x-correlation-id'];
  return typeof given === 'string' && CORRELATION_ID.test(given) && !containsCardNumber(given) ? given : randomUUID();
};

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

export const commandContext = (request: FastifyRequest): CommandContext => {
  const idempotencyKey = header(request, 'idempotency-key');
  const trace = callerTraceOf(request.headers.traceparent, request.headers.tracestate);
  return {
    metadata: { correlationId: request.id, causationId: header(request, 'x-causation-id') ?? null, actor: request.principal?.subject ?? 'anonymous' },
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    ...(trace === undefined ? {} : { trace }),
  };
};
