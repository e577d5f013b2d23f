import type { Container } from 'inversify';
import { loadConfig, type AppConfig } from '../../../src/main/config.js';
import { createContainer } from '../../../src/main/container.js';
import { startHttpService, type RunningService } from '../../../src/main/http-service.js';
import { TOKENS } from '../../../src/main/tokens.js';
import { testAuthConfig } from '../../support/auth-tokens.js';
import { apiClient, type Api } from './api-client.js';

export interface InProcessService {
  readonly service: RunningService;
  readonly api: Api;
  /** How many events are committed: a request that stored nothing leaves it where it was. */
  head(): Promise<number>;
  /** What the server logged at error level, one JSON line each. */
  readonly errorLog: string[];
}

/**
 * The real server on a free port in this process, over the memory store, verifying tokens signed with the test key
 * (test/support/auth-tokens.ts); `adjust` may rebind ports first, `config` may change settings.
 */
export const startInProcess = async (adjust?: (container: Container) => void, config: Partial<AppConfig> = {}): Promise<InProcessService> => {
  const container = await createContainer(loadConfig({}, { store: 'memory', auth: testAuthConfig(), ...config }));
  adjust?.(container);
  const errorLog: string[] = [];
  const service = await startHttpService(container, { host: '127.0.0.1', port: 0 }, { level: 'error', stream: { write: (line: string) => errorLog.push(line) } });
  const feed = container.get(TOKENS.CommittedEventFeed);
  return { service, api: apiClient(service.url), head: async () => (await feed.behind(null)) ?? 0, errorLog };
};
