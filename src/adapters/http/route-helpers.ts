import type { FastifyInstance } from 'fastify';
import type { Result } from 'neverthrow';
import type { CommandError, CommandOutcome } from '../../application/commands/command-error.js';
import { streamIdOf } from '../../application/events/envelope.js';
import { AGGREGATES } from '../../application/temporal/temporal-queries.js';
import type { CommandContext } from '../../application/commands/command-executor.js';
import type { Command } from '../../application/commands/command-handler.js';
import type { CommandOfType, CustomerCommand, InventoryCommand, OrderCommand, PaymentCommand } from '../../application/commands/commands.js';
import { answer, type Refusal } from './error-responses.js';
import { commandContext, commandHeaders, queryHeaders } from './request-context.js';
import { commandOutcome, errorResponse } from './schemas.js';

const refusals = (statuses: readonly number[]) => Object.fromEntries(statuses.map((status) => [status, errorResponse]));

/** A creation's answer names what it created: the aggregate's own view, current at once (read models follow moments later). */
const created = {
  ...commandOutcome,
  description: 'Created: Location names the new aggregate',
  headers: { location: { type: 'string', description: 'the created aggregate, /aggregates/{type}/{id}: readable at once' } },
} as const;

const locationOf = (outcome: CommandOutcome): string => {
  const type = Object.entries(AGGREGATES).find(([, definition]) => streamIdOf(definition.type, outcome.aggregateId) === outcome.streamId)?.[0];
  if (type === undefined) throw new Error(`no aggregate type has stream ${outcome.streamId}`);
  return `/aggregates/${type}/${encodeURIComponent(outcome.aggregateId)}`;
};

/** The schema of an object with named fields (what `object()` in schemas.ts makes): the path's ids and a command's body. */
export interface ObjectSchema {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, unknown>>;
  readonly required: readonly string[];
}

/** The name of every command a transport can send. */
export type CommandName = (OrderCommand | PaymentCommand | InventoryCommand | CustomerCommand)['type'];

export interface CommandRouteSpec<P, B> {
  /** The command's type: the name other transports (the SQS consumer) send it by. */
  readonly command: CommandName;
  readonly method?: 'POST' | 'PATCH';
  readonly url: string;
  readonly tag: string;
  readonly summary: string;
  readonly params?: ObjectSchema;
  readonly body: ObjectSchema;
  /** 201 for a command that brings an aggregate into being. */
  readonly creates?: boolean;
  readonly run: (params: P, body: B, context: CommandContext) => Promise<Result<CommandOutcome, CommandError>>;
}

/** A command route in the one table (command-table.ts), its input types erased: its schemas check them wherever it is sent. */
export type CommandRoute = CommandRouteSpec<Readonly<Record<string, unknown>>, Readonly<Record<string, unknown>>>;

/** A command route typed as it is written, entered in the table. */
export const commandSpec = <P = Record<string, never>, B = Record<string, never>>(spec: CommandRouteSpec<P, B>): CommandRoute => spec as unknown as CommandRoute;

/** A command: validated input in, the command's outcome out (or its refusal, mapped by code). */
export const commandRoute = (app: FastifyInstance, spec: CommandRoute): void => {
  const status = spec.creates ? 201 : 200;
  app.route<{ Params: Readonly<Record<string, unknown>>; Body: Readonly<Record<string, unknown>> }>({
    method: spec.method ?? 'POST',
    url: spec.url,
    schema: {
      tags: [spec.tag],
      summary: spec.summary,
      headers: commandHeaders,
      ...(spec.params === undefined ? {} : { params: spec.params }),
      body: spec.body,
      response: { [status]: spec.creates ? created : commandOutcome, ...refusals([400, 404, 409, 422, 500, 503]) },
    },
    handler: async (request, reply) => {
      const result = await spec.run(request.params, request.body, commandContext(request));
      if (spec.creates && result.isOk()) reply.header('location', locationOf(result.value));
      return answer(reply, result, status);
    },
  });
};

export interface QueryRouteSpec<P, Q, T> {
  readonly url: string;
  readonly tag: string;
  readonly summary: string;
  readonly params?: object;
  readonly querystring?: object;
  readonly response: object;
  readonly run: (params: P, query: Q) => Promise<Result<T, Refusal>>;
}

/** A read: the answer, or 404 and friends by the refusal's code. */
export const queryRoute = <P = Record<string, never>, Q = Record<string, never>, T = unknown>(app: FastifyInstance, spec: QueryRouteSpec<P, Q, T>): void => {
  app.route<{ Params: P; Querystring: Q }>({
    method: 'GET',
    url: spec.url,
    schema: {
      tags: [spec.tag],
      summary: spec.summary,
      headers: queryHeaders,
      ...(spec.params === undefined ? {} : { params: spec.params }),
      ...(spec.querystring === undefined ? {} : { querystring: spec.querystring }),
      response: { 200: spec.response, ...refusals([400, 404, 422, 500, 501, 503]) },
    },
    handler: async (request, reply) => answer(reply, await spec.run(request.params as P, request.query as Q)),
  });
};

/** One command of a union as a request body: without its type (the route is the type) and the ids the URL carries. */
export type BodyOf<C extends Command, T extends C['type'], InPath extends string = never> = Omit<CommandOfType<C, T>, 'type' | InPath>;
