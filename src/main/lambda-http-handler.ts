import type { FastifyServerOptions } from 'fastify';
import type { Container } from 'inversify';
import { answerHttpEvent, type ApiGatewayHttpEvent, type ApiGatewayHttpResult } from '../adapters/lambda/api-gateway-http.js';
import { buildHttpServer } from '../adapters/http/http-server.js';
import { appFrom } from './app.js';
import { loadConfig, type AppConfig } from './config.js';
import { closedOnFailure, createContainer } from './container.js';
import { httpAuthFrom } from './http-auth.js';
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
  // The service's JSON lines (event lines and fastify's request lines) at LOG_LEVEL, bound before anything is resolved.
  const level = loadLogLevel(env);
  bindLogger(container, level);
  const { auth, app } = await closedOnFailure(container, async () => ({ auth: await httpAuthFrom(container.get(TOKENS.Config).auth), app: appFrom(container, env) }));
  const logger: FastifyServerOptions['logger'] = { level };
  const metrics = metricsOutputs(container.get(TOKENS.Config).metrics);
  container.rebind(TOKENS.Metrics).toConstantValue(metrics.metrics);
  // Closed when the server cannot be built: the next invocation opens the store afresh (PGlite's folder takes one opener).
  const server = await buildHttpServer({ services: app, metrics: metrics.exposition, logger, auth })
    .then(async (built) => {
      await built.ready();
      return built;
    })
    .catch(async (error: unknown) => {
      await app.close();
      metrics.close();
      throw error;
    });
  return {
    server,
    flush: async () => {
      metrics.flush();
      // Spans wait in a batch processor: they must leave before Lambda freezes the process. A failed export never fails the request.
      await container.get(TOKENS.TraceExport).flush().catch(() => undefined);
    },
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
  let warm: ReturnType<typeof serverOver> | null = null;
  const handler = async (event: ApiGatewayHttpEvent): Promise<ApiGatewayHttpResult> => {
    // Settings read after the store opens are checked before it opens, so that a bad one leaves nothing open.
    warm ??= Promise.resolve()
      .then(() => {
        const config = loadConfig(env, { consumers: 'off' });
        loadLogLevel(env);
        return containerOf(config);
      })
      .then((container) => serverOver(container, env))
      .catch((error: unknown) => {
        // A cold start that failed (store unreachable) is tried afresh by the next invocation.
        warm = null;
        throw error;
      });
    const { server, flush } = await warm;
    try {
      return await answerHttpEvent(server, event);
    } finally {
      // Lambda may freeze the process as soon as the handler returns: the EMF lines and spans go now.
      await flush();
    }
  };
  return Object.assign(handler, { close: async () => (warm === null ? undefined : (await warm).close()) });
};

/** The Lambda entry point for the HTTP API. */
export const httpHandler = httpHandlerFrom(process.env);
