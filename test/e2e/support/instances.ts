import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Api } from './api-client.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** One row of `GET /projections`, the fields these tests read. */
export interface ProjectionView {
  readonly name: string;
  readonly generation: string;
  readonly state: string;
  readonly holder: string | null;
  readonly checkpoint: string | null;
  readonly lagEvents: number | null;
  readonly lastError: string | null;
}

export const PROJECTION_NAMES = ['inventory-levels', 'order-summary', 'support-history'] as const;

export const projectionsOf = async (api: Api): Promise<ProjectionView[]> => {
  const response = await api.get('/projections');
  expect(response.status).toBe(200);
  return (response.body as ProjectionView[]).slice().sort((a, b) => a.name.localeCompare(b.name));
};

/** A lease owner is `<host>/<pid>/<rand>`: the process id of the instance holding it. */
export const pidOf = (owner: string | null): number | null => (owner === null ? null : Number(owner.split('/').at(-2)));

/**
 * The value of a Prometheus sample whose labels include `labels`, from `/metrics` text; 0 when there is no
 * such sample (a counter never incremented is not printed with labels).
 */
export const metricValue = (text: string, name: string, labels: Readonly<Record<string, string>> = {}): number => {
  let total = 0;
  for (const line of text.split('\n')) {
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (sample === null || sample[1] !== name) continue;
    const found = Object.fromEntries([...(sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) total += Number(sample[3]);
  }
  return total;
};

export const metricsOf = async (api: Api): Promise<string> => {
  const response = await api.get('/metrics');
  expect(response.status).toBe(200);
  return response.body as string;
};

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A command run to its end in the project's folder, with `env` added to this process's environment; killed after `limitMs`. */
export const runCommand = (command: string, args: readonly string[], env: Readonly<Record<string, string>>, limitMs = 60_000): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish within ${limitMs} ms:\n${stdout}\n${stderr}`));
    }, limitMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });

/** `node --import tsx src/main/cli.ts ...args` as `npm run cli` runs it. */
export const runCli = (args: readonly string[], env: Readonly<Record<string, string>>, limitMs = 45_000): Promise<CliRun> =>
  runCommand(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', ...args], { LOG_LEVEL: 'warn', ...env }, limitMs);

/**
 * Reads `paths` over and over until `stop()`, counting every answer that is not 200: reads must keep
 * answering while something (a rebuild, a switch of generation) happens underneath.
 */
export const keepReading = (api: Api, paths: () => readonly string[]) => {
  const failures: string[] = [];
  let reads = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const path of paths()) {
        const response = await api.get(path).catch((error: unknown) => ({ status: -1, body: String(error) }));
        reads += 1;
        if (response.status !== 200) failures.push(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    get reads() {
      return reads;
    },
    failures,
    stop: async (): Promise<void> => {
      running = false;
      await loop;
    },
  };
};
