import type { Container } from 'inversify';
import type { DestinationStream } from 'pino';
import { PinoLogger } from '../adapters/logs/pino-logger.js';
import type { Logger, LogLevel } from '../application/ports/logger.js';
import { ConfigError } from './config-error.js';
import { TOKENS } from './tokens.js';

export type LogThreshold = LogLevel | 'silent';

const LOG_LEVELS: readonly LogThreshold[] = ['error', 'warn', 'info', 'debug', 'silent'];

/** `LOG_LEVEL`: the least severe level written, by the service's event lines and its request lines alike; `info` by default. */
export const loadLogLevel = (env: NodeJS.ProcessEnv = process.env): LogThreshold => {
  const level = env.LOG_LEVEL ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got ${JSON.stringify(env.LOG_LEVEL)}`);
  return level as LogThreshold;
};

/**
 * JSON lines on standard output (or `destination`) in place of the container's silent logger. Bound before anything
 * is resolved, so that every component writes to it.
 */
export const bindLogger = (container: Container, level: LogThreshold, destination?: DestinationStream): Logger => {
  const logger = PinoLogger.create(level, destination);
  container.rebind(TOKENS.Logger).toConstantValue(logger);
  return logger;
};
