import type { FastifyInstance } from 'fastify';

/**
 * The body of every error answer, whatever refused the request (validation, a rule, authentication, a missing route
 * or method, the store, a bug): one shape, registered once and referenced by every error response in the OpenAPI
 * document (`#/components/schemas/Problem`).
 */
export const PROBLEM_SCHEMA = {
  $id: 'Problem',
  type: 'object',
  description: 'A refusal: a stable code to match on, a message for people, and what was wrong.',
  properties: {
    code: { type: 'string', description: "stable: match on it, never on the message; each operation lists its codes in 'x-error-codes'" },
    message: { type: 'string' },
    details: { type: 'object', additionalProperties: true, description: 'what the rule saw, where it helps (the status that refused, the field, the amount left)' },
    errors: {
      type: 'array',
      description: 'REQUEST.INVALID: every invalid field of the request',
      items: { type: 'object', properties: { field: { type: 'string' }, problem: { type: 'string' } }, required: ['field', 'problem'] },
    },
    errorId: { type: 'string', description: 'INTERNAL: quote it when reporting an unexpected error; the server log has the rest.' },
  },
  required: ['code', 'message'],
} as const;

/** An error response: the shared problem shape. */
export const problemRef = { $ref: 'Problem#' } as const;

/** Registers the problem shape where it is not yet known (a route module mounted on a bare fastify, as in tests). */
export const ensureProblemSchema = (app: FastifyInstance): void => {
  if (app.getSchema(PROBLEM_SCHEMA.$id) === undefined) app.addSchema(PROBLEM_SCHEMA);
};
