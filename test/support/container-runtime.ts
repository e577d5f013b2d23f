import { existsSync } from 'node:fs';
import { request } from 'node:http';

/** Asks the Docker API for `/_ping` with a short timeout: no daemon means no wait, and testcontainers is never loaded for nothing. */
export const containerRuntimeAnswers = (): Promise<boolean> => {
  const host = process.env.DOCKER_HOST;
  const socketPath = host === undefined ? '/var/run/docker.sock' : host.startsWith('unix://') ? host.slice('unix://'.length) : null;
  if (socketPath !== null && !existsSync(socketPath)) return Promise.resolve(false);
  const target = socketPath !== null ? { socketPath } : (() => {
    const parsed = new URL((host as string).replace(/^tcp:/, 'http:'));
    return { host: parsed.hostname, port: Number(parsed.port || 2375) };
  })();
  return new Promise((resolve) => {
    const ping = request({ ...target, path: '/_ping', timeout: 500 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    ping.on('timeout', () => ping.destroy());
    ping.on('error', () => resolve(false));
    ping.end();
  });
};
