import type { FastifyServerOptions } from 'fastify';
import type { Container } from 'inversify';
import { buildHttpServer } from '../adapters/http/http-server.js';
import { httpWebhookDelivery } from '../adapters/gateway/http-webhook-delivery.js';
import { appFrom, type App } from './app.js';
import type { BusConfig } from './bus-config.js';
import { httpAuthFrom } from './http-auth.js';
import { metricsOutputs } from './metrics-output.js';
import { startRelay, type RunningRelay } from './relay-service.js';
import { startOperationsGauges } from './operations-gauges.js';
import { loadReplicaConfig, type ReplicaConfig } from './replica-config.js';
import { startReplica, type RunningReplica } from './replica-service.js';
import { TOKENS } from './tokens.js';

export interface ListenOn {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
}

export interface RunningService {
  /** Where it listens, e.g. http://127.0.0.1:3000. */
  readonly url: string;
  readonly app: App;
  /** Stops taking requests, lets those in flight finish, checkpoints the projections and closes the store. */
  stop(): Promise<void>;
}

/**
 * Serves a container's application over HTTP, with the projections running in the same process.
 * The server's metrics go where METRICS says (Prometheus at `/metrics`, EMF lines on stdout, or both): call this
 * before anything is resolved from the container, so that every component records into them.
 */
export const startHttpService = async (
  container: Container,
  listen: ListenOn,
  logger: FastifyServerOptions['logger'] = false,
  bus: BusConfig | null = null,
  /** The continuous replica to PostgreSQL (REPLICA_DATABASE_URL), run in process with the other consumers. */
  replicaConfig: ReplicaConfig | null = loadReplicaConfig(process.env, container.get(TOKENS.Config).store),
): Promise<RunningService> => {
  const metrics = metricsOutputs(container.get(TOKENS.Config).metrics);
  container.rebind(TOKENS.Metrics).toConstantValue(metrics.metrics);
  metrics.start();
  const auth = await httpAuthFrom(container.get(TOKENS.Config).auth);
  const app = appFrom(container);
  let relay: RunningRelay | null = null;
  let workflowRunning = false;
  const server = await buildHttpServer({ services: app, metrics: metrics.exposition, logger, auth, relayStatus: () => relay?.status() ?? null, workflowStatus: () => (workflowRunning ? app.fulfilment.status() : null) });
  let url: string;
  try {
    url = await server.listen(listen);
  } catch (error) {
    await app.close();
    metrics.close();
    throw error;
  }
  // With CONSUMERS=off a Lambda on the table's stream runs the projections and the relay: this process only serves.
  const consuming = container.get(TOKENS.Config).consumers === 'in-process';
  const { pollIntervalMs } = container.get(TOKENS.Config);
  if (consuming) app.projections.start(pollIntervalMs);
  if (consuming && container.get(TOKENS.Config).fulfilment === 'workflow') {
    // The simulated gateway answers as a real one does: with a signed webhook to this service's own URL.
    container.get(TOKENS.WebhookRoute).sendTo(httpWebhookDelivery(url));
    app.fulfilment.start(pollIntervalMs);
    workflowRunning = true;
  }
  if (bus && consuming) {
    try {
      relay = await startRelay(container, bus, pollIntervalMs);
    } catch (error) {
      await server.close();
      await app.close();
      metrics.close();
      throw error;
    }
  }
  const gauges = consuming ? startOperationsGauges(container) : null;
  let replica: RunningReplica | null = null;
  if (replicaConfig !== null && consuming) {
    try {
      replica = await startReplica(container, replicaConfig, pollIntervalMs);
    } catch (error) {
      await gauges?.stop();
      await server.close();
      await relay?.stop();
      await app.close();
      metrics.close();
      throw error;
    }
  }
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await server.close();
      await gauges?.stop();
      await replica?.stop();
      await relay?.stop();
      await app.close();
      // Last: what the projections and the relay recorded while stopping reaches CloudWatch too.
      metrics.close();
    })());
  return { url, app, stop };
};
