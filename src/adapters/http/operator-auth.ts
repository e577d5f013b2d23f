import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { refuse } from './error-responses.js';

/** What an operator request is refused with before the application sees it. */
export const OPERATOR_ERRORS = {
  UNAUTHENTICATED: 'OPERATOR.UNAUTHENTICATED',
  DISABLED: 'OPERATOR.DISABLED',
} as const;
export type OperatorErrorCode = (typeof OPERATOR_ERRORS)[keyof typeof OPERATOR_ERRORS];

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * Operator requests carry `Authorization: Bearer <OPERATOR_TOKEN>`. Without a configured token they are
 * refused outright (never open by default). Compared by digest in constant time, so that neither the
 * token's length nor its prefix leaks through timing.
 */
export const operatorGuard =
  (token: string | null) =>
  async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (token === null) return refuse(reply, { code: OPERATOR_ERRORS.DISABLED, message: 'operator requests are off: start the service with OPERATOR_TOKEN set to allow them' });
    const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (given === undefined || !timingSafeEqual(digest(given), digest(token))) {
      reply.header('www-authenticate', 'Bearer realm="operations"');
      return refuse(reply, { code: OPERATOR_ERRORS.UNAUTHENTICATED, message: 'an operator request needs the header Authorization: Bearer <OPERATOR_TOKEN>' });
    }
    return undefined;
  };
