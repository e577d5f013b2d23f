import type { FastifyServerOptions } from 'fastify';
import type { Container } from 'inversify';
import { answerHttpEvent, type ApiGatewayHttpEvent, type ApiGatewayHttpResult } from '../adapters/lambda/api-gateway-http.js';
import { buildHttpServer } from '../adapters/http/http-server.js';
import { appFrom } from './app.js';
import { loadConfig, type AppConfig } from './config.js';
import { closedOnFailure, createContainer } from './container.js';
import { httpAuthFrom } from './http-auth.js';
import { flushTelemetry, setUpOnce } from './lambda-lifecycle.js';
import { bindLogger, loadLogLevel } from './log-output.js';
import { metricsOutputs } from './metrics-output.js';
import { TOKENS } from './tokens.js';

export interface LambdaHttpHandler {
  (event: ApiGatewayHttpEvent): Promise<ApiGatewayHttpResult>;
  /** Closes the server and the store (a test's; Lambda simply freezes the process). */
  close(): Promise<void>;
}

/**
 * The service's own fastify server (buildHttpServer, as startHttpService builds it: the same routes, schemas, access
 * control and error table), never listening: each API Gateway event is injected into it. It runs no consumer: the
 * stream Lambda drives the projections, the relay and the workflow (CONSUMERS=off).
 */
const serverOver = async (container: Container, env: NodeJS.ProcessEnv) => {
  // Metrics and the service's JSON lines (event lines and fastify's request lines, at LOG_LEVEL) are bound before
  // anything is resolved, so that every component records and writes into them.
  const metrics = metricsOutputs(container.get(TOKENS.Config).metrics);
  container.rebind(TOKENS.Metrics).toConstantValue(metrics.metrics);
  const level = loadLogLevel(env);
  bindLogger(container, level);
  const logger: FastifyServerOptions['logger'] = { level };
  // Closed when the server cannot be built: the next invocation opens the store afresh (PGlite's folder takes one opener).
  const { server, app } = await closedOnFailure(container, async () => {
    const app = appFrom(container, env);
    const built = await buildHttpServer({ services: app, metrics: metrics.exposition, logger, auth: await httpAuthFrom(container.get(TOKENS.Config).auth) });
    await built.ready();
    return { server: built, app };
  }).catch((error: unknown) => {
    metrics.close();
    throw error;
  });
  return {
    server,
    flush: () => flushTelemetry(container, metrics),
    close: async () => {
      await server.close();
      await app.close();
      metrics.close();
    },
  };
};

/**
 * A handler for an API Gateway HTTP API (payload format 2.0), configured from `env` like the service, set up once
 * per Lambda container. Tokens are verified as the service verifies them: in a function, with AUTH_JWKS_URL (the
 * local signing key is for a developer's machine). `containerOf` lets a test open the container itself.
 */
export const httpHandlerFrom = (env: NodeJS.ProcessEnv, containerOf: (config: AppConfig) => Promise<Container> = createContainer): LambdaHttpHandler => {
  const lambda = setUpOnce(async () => {
    // Settings read after the store opens are checked before it opens, so that a bad one leaves nothing open.
    const config = loadConfig(env, { consumers: 'off' });
    loadLogLevel(env);
    return serverOver(await containerOf(config), env);
  });
  const handler = async (event: ApiGatewayHttpEvent): Promise<ApiGatewayHttpResult> => {
    const { server, flush } = await lambda.get();
    try {
      return await answerHttpEvent(server, event);
    } finally {
      await flush();
    }
  };
  return Object.assign(handler, { close: async () => (await lambda.current())?.close() });
};

/** The Lambda entry point for the HTTP API. */
export const httpHandler = httpHandlerFrom(process.env);
