import type { FastifyReply, FastifyRequest } from 'fastify';
import { CARD_NUMBER_ERRORS } from '../../application/commands/card-number-guard.js';
import { containsCardNumber } from '../../domain/index.js';
import { refuse } from './error-responses.js';

/** The headers whose values are stored (event metadata, idempotency records) or logged (the correlation id is the request id). */
export const STORED_OR_LOGGED_HEADERS = ['x-correlation-id', 'x-causation-id', 'idempotency-key', 'x-actor'] as const;

/** The headers that hold a card number, as `header.<name>`. */
export const cardNumberHeaders = (request: Pick<FastifyRequest, 'headers'>): string[] =>
  STORED_OR_LOGGED_HEADERS.filter((name) => {
    const value = request.headers[name];
    return (Array.isArray(value) ? value : [value]).some((one) => typeof one === 'string' && containsCardNumber(one));
  }).map((name) => `header.${name}`);

/**
 * An onRequest hook: a request carrying a card number in a header that is stored or logged is refused before any
 * route runs, naming the header and never echoing its value (the request id was already made up instead of it).
 */
export const refuseCardNumberHeaders = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
  const fields = cardNumberHeaders(request);
  const [field] = fields;
  if (field === undefined) return undefined;
  return refuse(reply, {
    code: CARD_NUMBER_ERRORS.IN_METADATA,
    message: `${fields.join(', ')} ${fields.length === 1 ? 'contains' : 'contain'} what looks like a card number; card numbers are never stored or logged`,
    details: { field, fields },
  });
};
