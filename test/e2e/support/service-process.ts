import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { TEST_AUTH_ENV } from '../../support/auth-tokens.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const STARTUP_LIMIT_MS = 60_000;

export interface ServiceProcess {
  readonly url: string;
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything the process printed so far. */
  output(): string;
  /** Sends the signal and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `node --import tsx src/main/serve.ts` as `npm start` will run it, on a free port (PORT=0), resolved once it
 * prints the address it listens on, verifying tokens signed with the test key (test/support/auth-tokens.ts) unless
 * `env` says otherwise. Fails with the process's own words if it ends or stays silent.
 */
export const startServiceProcess = async (env: Readonly<Record<string, string>>): Promise<ServiceProcess> => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/serve.ts'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...TEST_AUTH_ENV, ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the service printed no address within ${STARTUP_LIMIT_MS} ms:\n${output}`)), STARTUP_LIMIT_MS);
    const look = (): void => {
      const found = /listening on (http:\/\/\S+)/.exec(output);
      if (found?.[1]) {
        clearTimeout(timer);
        child.stdout.off('data', look);
        resolve(found[1]);
      }
    };
    child.stdout.on('data', look);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the service ended (code ${code}, signal ${signal}) before listening:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
};
