import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { DeleteTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliProgram } from '../../src/adapters/cli/cli-program.js';
import { dynamoDbClient } from '../../src/adapters/dynamodb/dynamodb-settings.js';
import { tableNames } from '../../src/adapters/dynamodb/table-definitions.js';
import { appFrom } from '../../src/main/app.js';
import { loadConfig, type AppConfig } from '../../src/main/config.js';
import { createContainer } from '../../src/main/container.js';
import { startHttpService, type RunningService } from '../../src/main/http-service.js';
import { testAuthConfig } from '../support/auth-tokens.js';
import { confirmPaid, context, placeOrder } from '../support/memory-app.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../support/dynamodb-local.js';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { apiClient, eventually, type Api } from './support/api-client.js';

/**
 * The disaster-recovery drill (docs/disaster-recovery.md): the walkthrough's order on DynamoDB Local, `cli export`,
 * the tables deleted, `cli import` into PostgreSQL (read models rebuilt), `cli verify` on it, the read models compared
 * with the source's, and the service started on the restored store; then the same file into a fresh set of DynamoDB
 * tables. Everything runs in this process through the composition root the CLI and the service use.
 */
describe('disaster-recovery drill: DynamoDB -> export -> tables deleted -> import into PostgreSQL (and DynamoDB) -> verified and served', () => {
  let dynamodb: DynamoDbLocal;
  let postgres: PostgresServer;
  let folder: string;
  let file: string;
  const suffix = randomUUID().slice(0, 8);
  const ids = { customerId: `c-dr-${suffix}`, orderId: `o-dr-${suffix}`, sku: `SKU-dr-${suffix}` };
  const erasedId = `c-erased-${randomUUID().slice(0, 8)}`;
  // Source and target share the master key that wraps the data keys, as a deployment and its recovery do.
  const masterKey = randomBytes(32).toString('base64');
  const services: RunningService[] = [];

  // Fulfilment by hand: the drill is about the log, and the workflow over a polled stream would only add waiting.
  const configOf = (env: Record<string, string>): AppConfig =>
    loadConfig({ DATA_DIR: folder, MASTER_KEY: masterKey, POLL_INTERVAL_MS: '100', AWS_REGION: 'us-east-1', FULFILMENT: 'manual', ...env }, { auth: testAuthConfig() });
  const dynamoEnv = (prefix: string): Record<string, string> => ({ STORE: 'dynamodb', DYNAMODB_ENDPOINT: dynamodb.endpoint, DYNAMODB_TABLE_PREFIX: prefix });

  /** The CLI's program over the store `config` names, as `npm run cli` composes it; its output lines and progress. */
  const cli = async (config: AppConfig, ...args: string[]): Promise<{ lines: string[]; progress: string }> => {
    const lines: string[] = [];
    const progress = new PassThrough();
    let drawn = '';
    progress.on('data', (chunk: Buffer) => (drawn += chunk.toString()));
    const program = cliProgram(async () => appFrom(await createContainer(config)), { out: (line) => lines.push(line), progress: progress as unknown as NodeJS.WriteStream });
    program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
    await program.parseAsync(['node', 'cli', ...args]);
    return { lines, progress: drawn };
  };

  const serve = async (config: AppConfig): Promise<Api> => {
    const service = await startHttpService(await createContainer(config), { host: '127.0.0.1', port: 0 });
    services.push(service);
    return apiClient(service.url);
  };

  /** Every read model the order touches, its payment's audit trail, and both customers as aggregates (personal fields opened). */
  const readModels = async (api: Api) => {
    const paths = [
      `/orders/${ids.orderId}`,
      `/customers/${ids.customerId}/orders`,
      `/inventory/${ids.sku}`,
      `/customers/${ids.customerId}/support-history`,
      `/aggregates/payment/p-${ids.orderId}/events`,
      `/aggregates/customer/${ids.customerId}`,
      `/aggregates/customer/${erasedId}/events`,
    ];
    const answers = await Promise.all(paths.map((path) => api.get(path)));
    for (const [index, answer] of answers.entries()) expect({ path: paths[index], status: answer.status }).toEqual({ path: paths[index], status: 200 });
    // A global position is the store's own (none on DynamoDB): the one thing an import does not keep.
    const ownPositionsOut = (key: string, value: unknown): unknown => (key === 'globalPosition' ? undefined : value);
    return Object.fromEntries(answers.map((answer, index) => [paths[index], JSON.parse(JSON.stringify(answer.body), ownPositionsOut) as unknown]));
  };

  beforeAll(async () => {
    [dynamodb, postgres, folder] = await Promise.all([startDynamoDbLocal(), startPostgres(), mkdtemp(join(tmpdir(), 'es-dr-drill-'))]);
    file = join(folder, 'drill.ndjson.gz');
  });

  afterAll(async () => {
    for (const service of services) await service.stop().catch(() => undefined);
    await Promise.all([dynamodb?.stop(), postgres?.stop()]);
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('restores an order from an export of DynamoDB into PostgreSQL, verified, with the same read models, and serves it', async () => {
    const prefix = `dr${randomUUID().slice(0, 8)}-`;
    const source = configOf(dynamoEnv(prefix));

    // Load: a customer with personal data, stock, an order placed, reserved, paid, confirmed, shipped and delivered, and
    // a second customer registered and erased (GDPR), through the application's commands; the service serves reads.
    const sourceApi = await serve(source);
    const app = (services.at(-1) as RunningService).app;
    await placeOrder(app, ids);
    (await confirmPaid(app, ids.orderId))._unsafeUnwrap();
    (await app.orders.handle({ type: 'ShipOrder', orderId: ids.orderId, carrier: 'DHL', trackingNumber: 'JD0146' }, context()))._unsafeUnwrap();
    (await app.orders.handle({ type: 'DeliverOrder', orderId: ids.orderId }, context()))._unsafeUnwrap();
    (await app.customers.handle({ type: 'RegisterCustomer', customerId: erasedId, personal: { name: 'Grace Hopper', email: 'grace@example.com', address: '1 Navy Yard' } }, context()))._unsafeUnwrap();
    (await app.erasure.erase(erasedId, context()))._unsafeUnwrap();
    // Each projection follows the stream on its own: the read models are taken once two reads in a row agree.
    let previous: unknown = null;
    const before = await eventually(async () => {
      const models = await readModels(sourceApi);
      const settled = previous;
      previous = models;
      expect(models[`/orders/${ids.orderId}`]).toMatchObject({ status: 'DELIVERED', version: 4 });
      expect(models[`/inventory/${ids.sku}`]).toMatchObject({ onHand: 10, reserved: 2 });
      expect(models).toEqual(settled);
      return models;
    }, 20_000);
    expect(before[`/aggregates/customer/${ids.customerId}`]).toMatchObject({ state: { personal: { name: 'Ada' } } });
    await (services.pop() as RunningService).stop();

    // Export from DynamoDB.
    const exported = await cli(source, 'export', '--out', file);
    expect(exported.lines).toEqual([expect.stringMatching(new RegExp(`^exported (\\d+) events in (\\d+) streams and 2 data keys from dynamodb \\(exported .*\\), sha256 [0-9a-f]{64} to ${file}$`))]);
    expect(exported.progress).toMatch(/\] \d+\/\d+ events {2}\d+\/s {2}[\d.]+s left/);
    const [, events, streams] = /^exported (\d+) events in (\d+) streams/.exec(exported.lines[0] as string) ?? [];

    // Destroy: every table of the deployment deleted.
    const client = dynamoDbClient(source.dynamodb);
    for (const table of Object.values(tableNames(prefix))) await client.send(new DeleteTableCommand({ TableName: table }));
    expect((await client.send(new ListTablesCommand({}))).TableNames?.filter((name) => name.startsWith(prefix))).toEqual([]);

    // Import into PostgreSQL: verified, loaded, read models rebuilt; then the chains verified in the restored store.
    const target = configOf({ STORE: 'postgres', DATABASE_URL: await postgres.createDatabase() });
    const imported = await cli(target, 'import', '--in', file);
    expect(imported.lines[0]).toMatch(new RegExp(`^imported ${events} events \\(0 already there\\) and 2 data keys: ${events} events in ${streams} streams`));
    expect(imported.lines).toContain('moved workflow:order-fulfilment past the imported events (the source acted on them)');
    expect(imported.lines.filter((line) => / now serves generation /.test(line))).toHaveLength(3);
    const verified = await cli(target, 'verify');
    expect(verified.lines.at(-1)).toBe(`verified: ${events} events in ${streams} streams, 0 with a mismatch`);
    // Run again (an interrupted import resumed): everything is found in place, nothing written twice.
    expect((await cli(target, 'import', '--in', file, '--no-rebuild')).lines[0]).toMatch(new RegExp(`^imported 0 events \\(${events} already there: resumed\\)`));

    // Serve from the restored store: the same read models, personal fields opened, the erased one erased.
    const restoredApi = await serve(target);
    const after = await readModels(restoredApi);
    expect(after).toEqual(before);
    // The erased customer's registration still holds their sealed name; the restored tombstone keeps it unreadable.
    expect(after[`/aggregates/customer/${erasedId}/events`]).toMatchObject({ events: [{ type: 'CustomerRegistered', data: { personal: { name: '[erased]' } } }, { type: 'CustomerErased' }] });
    // And it takes new commands on top of the restored chains.
    expect((await restoredApi.post(`/inventory/${ids.sku}/receive`, { quantity: 5 })).status).toBe(200);
    await eventually(async () => expect((await restoredApi.get(`/inventory/${ids.sku}`)).body).toMatchObject({ onHand: 15 }));
    // Back into a fresh DynamoDB deployment from the same file: the same counts and chains.
    const again = configOf(dynamoEnv(`dr${randomUUID().slice(0, 8)}-`));
    const reimported = await cli(again, 'import', '--in', file, '--no-rebuild');
    expect(reimported.lines[0]).toMatch(new RegExp(`^imported ${events} events \\(0 already there\\)`));
    expect((await cli(again, 'verify')).lines.at(-1)).toBe(`verified: ${events} events in ${streams} streams, 0 with a mismatch`);
  }, 90_000);
});
