import { ConfigError } from './config.js';

export interface BusConfig {
  readonly busName: string;
  readonly source: string;
  readonly region: string;
  readonly endpoint?: string;
}

/**
 * `EVENT_BUS_NAME` turns publishing on; `EVENT_SOURCE` (default `es-core`), `AWS_REGION` and, for
 * LocalStack or a test endpoint, `EVENTBRIDGE_ENDPOINT` complete it. Null when no bus is configured.
 */
export const loadBusConfig = (env: NodeJS.ProcessEnv = process.env): BusConfig | null => {
  const busName = env.EVENT_BUS_NAME;
  if (busName === undefined || busName === '') {
    if (env.EVENTBRIDGE_ENDPOINT) throw new ConfigError('EVENTBRIDGE_ENDPOINT is set but EVENT_BUS_NAME is not: name the bus to publish to');
    return null;
  }
  return {
    busName,
    source: env.EVENT_SOURCE ?? 'es-core',
    region: env.AWS_REGION ?? 'us-east-1',
    ...(env.EVENTBRIDGE_ENDPOINT ? { endpoint: env.EVENTBRIDGE_ENDPOINT } : {}),
  };
};
