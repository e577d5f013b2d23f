import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { containerRuntimeAnswers } from './container-runtime.js';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/**
 * A PostgreSQL server for integration suites, the benchmark and the Gherkin hooks: `DATABASE_URL`
 * when set; else a container when a container runtime answers; else a throwaway cluster of the
 * machine's PostgreSQL binaries. Each caller takes fresh databases from it and stops it after.
 */
export interface PostgresServer {
  readonly source: 'DATABASE_URL' | 'testcontainers' | 'local cluster';
  /** The maintenance database; prefer `createDatabase()` for anything a test writes. */
  readonly url: string;
  /** A new, empty database on this server; dropped again by `stop()` when the server outlives us. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

export interface PostgresServerOptions {
  /** Server settings for a cluster this helper starts, e.g. `{ shared_buffers: '256MB' }`; defaults otherwise. */
  readonly settings?: Readonly<Record<string, string>>;
}

const withDatabase = (url: string, database: string): string => {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
};

const onServer = async <T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

const databasesOn = (url: string, dropOnStop: boolean) => {
  const created: string[] = [];
  return {
    createDatabase: async (): Promise<string> => {
      const name = `es_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
      await onServer(url, (client) => client.query(`CREATE DATABASE ${name}`));
      created.push(name);
      return withDatabase(url, name);
    },
    dropAll: async (): Promise<void> => {
      if (!dropOnStop || created.length === 0) return;
      await onServer(url, async (client) => {
        for (const name of created.splice(0)) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    },
  };
};

const startContainer = async (): Promise<PostgresServer> => {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer('postgres:15')
    .withEnvironment({ POSTGRES_PASSWORD: 'postgres' })
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  const url = `postgres://postgres:postgres@${container.getHost()}:${container.getMappedPort(5432)}/postgres`;
  const { createDatabase } = databasesOn(url, false);
  return { source: 'testcontainers', url, createDatabase, stop: async () => void (await container.stop()) };
};

const binDir = (): string => {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  const chosen = versions.includes('15') ? '15' : versions.sort((a, b) => Number(b) - Number(a))[0];
  if (chosen === undefined) throw new Error(`no PostgreSQL server binaries under ${root} (install Debian's postgresql package, or set DATABASE_URL)`);
  return join(root, chosen, 'bin');
};

/** initdb refuses to run as root: as root, the cluster belongs to the `postgres` user. */
const asClusterOwner = async (dir: string): Promise<(command: string, args: string[]) => Promise<unknown>> => {
  if (process.getuid?.() !== 0) return (command, args) => run(command, args, { timeout: 60_000 });
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]).then((ids) => ids.map((id) => Number(id.stdout.trim())));
  chownSync(dir, uid as number, gid as number);
  return (command, args) => run('runuser', ['-u', 'postgres', '--', command, ...args], { timeout: 60_000 });
};

const tail = (path: string): string => (existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').slice(-5).join('\n') : '(no server log)');

const startLocalCluster = async (options: PostgresServerOptions): Promise<PostgresServer> => {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'es-postgres-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  // Should this process die without stopping the cluster, do not leave a server running behind it.
  const killOnExit = (): void => {
    try {
      const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0) process.kill(pid, 'SIGQUIT');
    } catch {
      // No server to kill.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  try {
    const owner = await asClusterOwner(dir);
    await owner(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    const settings = Object.entries({ listen_addresses: '127.0.0.1', unix_socket_directories: dir, ...options.settings }).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
    let lastFailure: unknown;
    // Another process may take the free port before the server binds it: try a few.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const port = await freePort();
      try {
        await owner(join(bin, 'pg_ctl'), ['-D', data, '-l', log, '-w', '-t', '60', '-o', ['-p', String(port), ...settings].map((a) => `'${a}'`).join(' '), 'start']);
      } catch (error) {
        lastFailure = error;
        continue;
      }
      const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
      const { createDatabase } = databasesOn(url, false);
      return {
        source: 'local cluster',
        url,
        createDatabase,
        stop: async () => {
          await owner(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => killOnExit());
          rmSync(dir, { recursive: true, force: true });
          process.removeListener('exit', killOnExit);
        },
      };
    }
    throw new Error(`pg_ctl start failed: ${lastFailure instanceof Error ? lastFailure.message : String(lastFailure)}\n${tail(log)}`);
  } catch (error) {
    killOnExit();
    process.removeListener('exit', killOnExit);
    throw new Error(`could not start a throwaway PostgreSQL cluster from ${bin}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
};

/** Starts (or borrows) a server; throws with the reason when none can be had, so that a suite fails rather than skips. */
export const startPostgres = async (options: PostgresServerOptions = {}): Promise<PostgresServer> => {
  const given = process.env.DATABASE_URL;
  if (given) {
    const { createDatabase, dropAll } = databasesOn(given, true);
    return { source: 'DATABASE_URL', url: given, createDatabase, stop: dropAll };
  }
  if (await containerRuntimeAnswers()) return startContainer();
  return startLocalCluster(options);
};
