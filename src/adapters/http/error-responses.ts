import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Result } from 'neverthrow';
import { isTransient } from '../../application/ports/transient-failure.js';
import { INTERNAL_ERROR, REQUEST_ERRORS, RETRY_AFTER_SECONDS } from './request-errors.js';
import { maskCardNumbers } from '../../domain/index.js';
import { loggableUrl } from './log-redaction.js';
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
  return reply.code(500).send({ code: INTERNAL_ERROR, message: `unexpected error; quote error id ${errorId} when reporting it`, errorId });
};

export const refuse = (reply: FastifyReply, refusal: Refusal): FastifyReply => {
  const status = statusOf(refusal.code);
  if (status === 500) return unexpected(reply, refusal);
  // Every 503 says when to come back: the store (or what it depends on) is expected to return.
  if (status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  // A read refused for an id that is a card number (404) would otherwise say it back.
  return reply.code(status).send({ code: refusal.code, message: maskCardNumbers(refusal.message), ...(refusal.details === undefined ? {} : { details: refusal.details }) });
};

/** The value with `status`, or the refusal with its mapped status. */
export const answer = <T>(reply: FastifyReply, result: Result<T, Refusal>, status = 200): FastifyReply =>
  result.isOk() ? reply.code(status).send(result.value) : refuse(reply, result.error);

/** Fastify's own refusals of a request (malformed JSON, wrong media type, too large) keep their status. */
const REQUEST_CODES: Readonly<Record<number, string>> = { 400: REQUEST_ERRORS.MALFORMED, 413: REQUEST_ERRORS.TOO_LARGE, 415: REQUEST_ERRORS.UNSUPPORTED_MEDIA_TYPE };

/** Transient itself, or wrapping a transient cause (a few levels: adapters translate at their edge, callers may wrap). */
export const transientWithin = (error: unknown, depth = 0): boolean =>
  isTransient(error) || (depth < 3 && error instanceof Error && error.cause !== undefined && transientWithin(error.cause, depth + 1));

/** Never a stack trace, never an internal message: 4xx say what to fix, anything else is a 500 with an id. */
export const errorHandler = (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): FastifyReply => {
  if (error instanceof InvalidRequest) return reply.code(400).send({ code: 'REQUEST.INVALID', message: error.message, errors: error.problems });
  if (error instanceof RefusedError) return refuse(reply, error.refusal);
  // A store that is unreachable, throttled or timing out (adapters mark such failures transient) is no bug: reads,
  // and the reads a command starts with, answer 503 as an append that meets it does.
  if (transientWithin(error)) {
    reply.log.warn({ err: error }, 'store unavailable');
    return refuse(reply, { code: REQUEST_ERRORS.STORE_UNAVAILABLE, message: `the store is unavailable for now; retry in ${RETRY_AFTER_SECONDS} seconds` });
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return reply.code(status).send({ code: REQUEST_CODES[status] ?? REQUEST_ERRORS.REFUSED, message: error.message });
  return unexpected(reply, error);
};

export const notFoundHandler = (request: FastifyRequest, reply: FastifyReply): FastifyReply =>
  reply.code(404).send({ code: 'ROUTE.NOT_FOUND', message: `no route ${request.method} ${loggableUrl(request.url.split('?')[0] ?? '')}; GET /openapi.json lists them` });
