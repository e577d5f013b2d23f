import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Result } from 'neverthrow';
import { statusOf } from './status-codes.js';
import { InvalidRequest } from './validation-problems.js';

/** What the application refuses with: a stable code, a message, sometimes details. */
export interface Refusal {
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A refusal met deep inside a query (a read model as of a time that would replay too many streams), carried out to the error handler. */
export class RefusedError extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

const unexpected = (reply: FastifyReply, cause: unknown): FastifyReply => {
  const errorId = randomUUID();
  reply.log.error({ err: cause, errorId }, 'unexpected error');
  return reply.code(500).send({ code: 'INTERNAL', message: `unexpected error; quote error id ${errorId} when reporting it`, errorId });
};

export const refuse = (reply: FastifyReply, refusal: Refusal): FastifyReply => {
  const status = statusOf(refusal.code);
  if (status === 500) return unexpected(reply, refusal);
  return reply.code(status).send({ code: refusal.code, message: refusal.message, ...(refusal.details === undefined ? {} : { details: refusal.details }) });
};

/** The value with `status`, or the refusal with its mapped status. */
export const answer = <T>(reply: FastifyReply, result: Result<T, Refusal>, status = 200): FastifyReply =>
  result.isOk() ? reply.code(status).send(result.value) : refuse(reply, result.error);

/** Fastify's own refusals of a request (malformed JSON, wrong media type, too large) keep their status. */
const REQUEST_CODES: Readonly<Record<number, string>> = { 400: 'REQUEST.MALFORMED', 413: 'REQUEST.TOO_LARGE', 415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE' };

/** Never a stack trace, never an internal message: 4xx say what to fix, anything else is a 500 with an id. */
export const errorHandler = (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): FastifyReply => {
  if (error instanceof InvalidRequest) return reply.code(400).send({ code: 'REQUEST.INVALID', message: error.message, errors: error.problems });
  if (error instanceof RefusedError) return refuse(reply, error.refusal);
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return reply.code(status).send({ code: REQUEST_CODES[status] ?? 'REQUEST.REFUSED', message: error.message });
  return unexpected(reply, error);
};

export const notFoundHandler = (request: FastifyRequest, reply: FastifyReply): FastifyReply =>
  reply.code(404).send({ code: 'ROUTE.NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}; GET /openapi.json lists them` });
