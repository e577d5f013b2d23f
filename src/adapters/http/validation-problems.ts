import type { FastifyRequest, FastifySchemaValidationError } from 'fastify';
import { ISO_FORMAT_PROBLEMS } from './iso-formats.js';

export interface FieldProblem {
  /** Where: `body.lines[0].quantity`, `query.limit`, `path.orderId`, `header.x-actor`. */
  readonly field: string;
  readonly problem: string;
}

/** A request that failed its schemas: every problem in every part of it. */
export class InvalidRequest extends Error {
  constructor(readonly problems: readonly FieldProblem[]) {
    super(`${problems.length} invalid field${problems.length === 1 ? '' : 's'}: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`);
  }
}

/** Ajv's error with `verbose` on: the schema that refused the value is at hand. */
export interface SchemaError extends FastifySchemaValidationError {
  readonly parentSchema?: { readonly description?: string; readonly properties?: Readonly<Record<string, unknown>> };
}

const FORMATS: Readonly<Record<string, string>> = {
  'date-time': 'an ISO 8601 time with a zone, e.g. 2026-03-01T09:00:00Z',
  email: 'an email address such as ada@example.com',
  ...ISO_FORMAT_PROBLEMS,
};

const PARTS = [
  ['params', 'path'],
  ['querystring', 'query'],
  ['headers', 'header'],
  ['body', 'body'],
] as const;

const pathOf = (instancePath: string): string =>
  instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : `${path}.${segment}`), '');

/** One schema error as a named problem; `part` is where the value came from (`body`, or a message's `input`). */
export const problemOf = (part: string, error: SchemaError): FieldProblem => {
  const at = `${part}${pathOf(error.instancePath)}`;
  const params = error.params;
  switch (error.keyword) {
    case 'required':
      return { field: `${at}.${String(params.missingProperty)}`, problem: 'is required' };
    case 'additionalProperties': {
      const accepted = Object.keys(error.parentSchema?.properties ?? {});
      return { field: `${at}.${String(params.additionalProperty)}`, problem: `is not accepted here${accepted.length > 0 ? `; accepted: ${accepted.join(', ')}` : ''}` };
    }
    case 'enum':
      return { field: at, problem: `must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}` };
    case 'format':
      return { field: at, problem: `must be ${FORMATS[String(params.format)] ?? `in format ${String(params.format)}`}` };
    case 'pattern':
      return { field: at, problem: error.parentSchema?.description ? `must be ${error.parentSchema.description}` : (error.message ?? 'is not valid') };
    default:
      return { field: at, problem: error.message ?? 'is not valid' };
  }
};

/**
 * Validates every part of the request and names every problem in all of them (fastify alone stops at
 * the first part that fails). A command sent without a body is checked as an empty object, so that the
 * answer names each missing field rather than "body must be object".
 */
export const validateWholeRequest = async (request: FastifyRequest): Promise<void> => {
  if (request.body === undefined && request.getValidationFunction('body')) request.body = {};
  const problems: FieldProblem[] = [];
  for (const [part, name] of PARTS) {
    const validate = request.getValidationFunction(part);
    const value = part === 'querystring' ? request.query : request[part];
    if (validate && validate(value ?? null) !== true) problems.push(...((validate.errors ?? []) as SchemaError[]).map((error) => problemOf(name, error)));
  }
  if (problems.length > 0) throw new InvalidRequest(problems);
};
