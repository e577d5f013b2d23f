import { loadBusConfig } from './bus-config.js';
import { ConfigError, loadConfig } from './config.js';
import { loadNamingAll } from './config-problems.js';
import { createContainer } from './container.js';
import { startHttpService, type ListenOn } from './http-service.js';
import { startAnchoring } from './anchor-schedule.js';
import { bindLogger, loadLogLevel } from './log-output.js';
import { loadReplicaConfig } from './replica-config.js';

/** `HOST` and `PORT`, 127.0.0.1:3000 by default; PORT=0 picks a free port. */
const listenOn = (env: NodeJS.ProcessEnv): ListenOn => {
  const raw = env.PORT ?? '3000';
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(port) || port > 65_535) throw new ConfigError(`PORT must be a whole number from 0 to 65535; got ${JSON.stringify(env.PORT)}`);
  return { host: env.HOST ?? '127.0.0.1', port };
};

const main = async (): Promise<void> => {
  // Every bad setting named at once, before anything is opened.
  const { config, listen, bus, level } = loadNamingAll(process.env, (env) => {
    const config = loadConfig(env);
    loadReplicaConfig(env, config.store);
    return { config, listen: listenOn(env), bus: loadBusConfig(env), level: loadLogLevel(env) };
  });
  const container = await createContainer(config);
  // JSON lines about events and consumers, and fastify's request lines, at one level with one redaction list.
  // The plain lines below are the operator's console narrative, written whatever the level.
  const logger = bindLogger(container, level);
  const service = await startHttpService(container, listen, { level }, bus);
  if (bus) console.log(`publishing committed events to EventBridge bus ${bus.busName}${bus.endpoint ? ` at ${bus.endpoint}` : ''}`);
  // Periodic anchors of the audit chain (ANCHOR_INTERVAL_MS): only the service schedules them, never a test's server.
  const anchoring = startAnchoring(service.app.audit, config.audit.anchorIntervalMs, (line) => console.error(line));
  console.log(`listening on ${service.url} (store: ${config.store}${config.store === 'pglite' ? ` in ${config.dataDir}` : ''}); API description at ${service.url}/openapi.json`);
  const shutdown = (signal: NodeJS.Signals): void => {
    console.log(`${signal}: stopping (press Ctrl-C again to force)`);
    anchoring
      .stop()
      .then(() => service.stop())
      .then(
        () => console.log('stopped: projections checkpointed, store closed'),
        (error: unknown) => {
          logger.error('error while stopping', { error: error instanceof Error ? error.message : String(error) });
          process.exitCode = 1;
        },
      );
  };
  // `once`: a second signal gets Node's default and ends the process at once.
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
};

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `configuration: ${error.message}` : `error: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.DEBUG) console.error(error);
  process.exitCode = 1;
});
