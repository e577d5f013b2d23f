import Fastify from 'fastify';
import { err, ok, type Result } from 'neverthrow';
import { inputSchemaOf } from './command-table.js';
import { VALIDATION_OPTIONS } from './http-server.js';
import type { CommandName, CommandRoute } from './route-helpers.js';
import { problemOf, type FieldProblem, type SchemaError } from './validation-problems.js';

/** Checks a value against one schema: every problem in it, named from `part` (`input.lines[0].quantity`). */
export type SchemaCheck = (value: unknown, part: string) => FieldProblem[];

/**
 * fastify's own validator compiler, set up with the routes' options: a value sent by another transport is held to
 * the same rules and formats, and its problems are named the same way, as an HTTP request's.
 */
export const schemaCompiler = async (): Promise<(schema: object) => SchemaCheck> => {
  const fastify = Fastify({ ajv: { customOptions: VALIDATION_OPTIONS } });
  // fastify sets its compiler up for the first route with a schema, when it gets ready: one is all it takes.
  fastify.post('/', { schema: { body: { type: 'object' } } }, async () => null);
  await fastify.ready();
  const compile = fastify.validatorCompiler;
  await fastify.close();
  if (compile === undefined) throw new Error('fastify set up no validator compiler');
  return (schema) => {
    const validate = compile({ schema, method: 'POST', url: '/', httpPart: 'body' });
    return (value, part) => (validate(value) === true ? [] : ((validate.errors ?? []) as SchemaError[]).map((error) => problemOf(part, error)));
  };
};

/** A command whose input passed its route's schemas, split as the route's handler takes it. */
export interface CheckedCommand {
  readonly route: CommandRoute;
  readonly params: Readonly<Record<string, unknown>>;
  readonly body: Readonly<Record<string, unknown>>;
}

/** Each command's whole input (path ids and body together) checked with its route's schemas. */
export const commandInputChecks = (table: ReadonlyMap<CommandName, CommandRoute>, compile: (schema: object) => SchemaCheck) => {
  const checks = new Map([...table].map(([name, route]) => [name, compile(inputSchemaOf(route))] as const));
  return (name: CommandName, input: Readonly<Record<string, unknown>>, part = 'input'): Result<CheckedCommand, FieldProblem[]> => {
    const route = table.get(name);
    const check = checks.get(name);
    if (route === undefined || check === undefined) return err([{ field: 'command', problem: `must be one of ${[...table.keys()].join(', ')}` }]);
    const problems = check(input, part);
    if (problems.length > 0) return err(problems);
    const inPath = new Set(Object.keys(route.params?.properties ?? {}));
    const entries = Object.entries(input);
    return ok({
      route,
      params: Object.fromEntries(entries.filter(([field]) => inPath.has(field))),
      body: Object.fromEntries(entries.filter(([field]) => !inPath.has(field))),
    });
  };
};
