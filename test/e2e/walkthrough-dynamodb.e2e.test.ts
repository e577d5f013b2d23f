import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableNames } from '../../src/adapters/dynamodb/table-definitions.js';
import { asCustomer } from '../support/auth-tokens.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../support/dynamodb-local.js';
import { apiClient, eventually, type Api } from './support/api-client.js';
import { runCli, runCommand } from './support/instances.js';
import { startServiceProcess, type ServiceProcess } from './support/service-process.js';
import { runWalkthrough, walkthroughIds } from './support/walkthrough.js';
import { expectWalkthroughOutcome } from './support/walkthrough-checks.js';

const PROJECTIONS = ['order-summary', 'inventory-levels', 'support-history'];

interface ProjectionView {
  readonly name: string;
  readonly generation: string;
  readonly state: string;
  readonly lagEvents: number | null;
  readonly failure: unknown;
  readonly rebuild: { done: number; total: number; error: string | null } | null;
}

const projections = async (api: Api): Promise<ProjectionView[]> => {
  const response = await api.get('/projections');
  expect(response.status).toBe(200);
  return response.body as ProjectionView[];
};

const projection = async (api: Api, name: string): Promise<ProjectionView> => {
  const found = (await projections(api)).find((view) => view.name === name);
  if (found === undefined) throw new Error(`GET /projections lists no ${name}`);
  return found;
};

describe('the service in its own process on DynamoDB Local, driven over HTTP', () => {
  let server: DynamoDbLocal;
  let env: Record<string, string>;
  let service: ServiceProcess | undefined;
  let api: Api;
  const ids = walkthroughIds(`ddb-${randomUUID().slice(0, 8)}`);

  beforeAll(async () => {
    server = await startDynamoDbLocal();
    env = {
      STORE: 'dynamodb',
      DYNAMODB_ENDPOINT: server.endpoint,
      AWS_REGION: 'us-east-1',
      DYNAMODB_TABLE_PREFIX: `e2e${randomUUID().slice(0, 8)}-`,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    };
  });

  afterAll(async () => {
    await service?.stop('SIGKILL');
    await server?.stop();
  });

  it('provisions the tables with npm run provision, idempotently', async () => {
    const names = Object.values(tableNames(env.DYNAMODB_TABLE_PREFIX as string));
    const first = await runCommand('npm', ['run', '--silent', 'provision'], env);
    expect(first, first.stderr).toMatchObject({ code: 0 });
    for (const name of names) expect(first.stdout).toMatch(new RegExp(`^${name.replace(/\./g, '\\.')}\\s+created\\s`, 'm'));
    const again = await runCommand('npm', ['run', '--silent', 'provision'], env);
    expect(again, again.stderr).toMatchObject({ code: 0 });
    for (const name of names) expect(again.stdout).toMatch(new RegExp(`^${name.replace(/\./g, '\\.')}\\s+unchanged\\s`, 'm'));
  });

  it('runs the README walkthrough on DynamoDB: every read model from the stream, the audit trail, and the order in time', async () => {
    service = await startServiceProcess(env);
    expect(service.output()).toContain('store: dynamodb');
    api = apiClient(service.url);
    await runWalkthrough(api, ids, { 'x-correlation-id': 'walkthrough-ddb' }, api.as(asCustomer(ids.customerId)));
    // The customer placed the order with their own token: its subject is the actor.
    await expectWalkthroughOutcome(api, ids, { correlationId: 'walkthrough-ddb', actor: ids.customerId });
  });

  it('reports itself healthy, with every projection running from the stream', async () => {
    const health = await api.get('/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    // DynamoDB Streams cannot tell how far behind a position is: no lag in events.
    expect(health.body.projections).toEqual(PROJECTIONS.map((name) => ({ name, state: 'running', lagEvents: null })));
    const views = await projections(api);
    expect(views.map((view) => [view.name, view.state, view.generation, view.failure, view.rebuild])).toEqual(PROJECTIONS.map((name) => [name, 'running', 'v1', null, null]));
  });

  it('rebuilds a projection over HTTP from a scan of the table, reporting progress, while reads keep answering', async () => {
    const before = await projection(api, 'order-summary');
    const refused = await api.post('/projections/order-summary/rebuild', undefined, { authorization: 'Bearer not-the-token' });
    expect(refused.status).toBe(401);

    const accepted = await api.post('/projections/order-summary/rebuild');
    expect(accepted).toMatchObject({ status: 202, body: { name: 'order-summary', status: 'rebuilding' } });
    const progress: NonNullable<ProjectionView['rebuild']>[] = [];
    const reads: number[] = [];
    const again: number[] = [];
    const after = await eventually(async () => {
      const view = await projection(api, 'order-summary');
      if (view.rebuild !== null) progress.push(view.rebuild);
      // Every event replayed, but the rebuild still listed (catching up, or keeping the old generation a moment): still running.
      if (view.rebuild !== null && view.rebuild.done >= view.rebuild.total && again.length === 0) {
        again.push((await api.post('/projections/order-summary/rebuild')).status);
      }
      // The summary and the customer's orders answer throughout, from whichever generation is live.
      const [order, orders, health] = await Promise.all([api.get(`/orders/${ids.orderId}`), api.get(`/customers/${ids.customerId}/orders`), api.get('/health')]);
      reads.push(order.status, orders.status, health.status);
      expect(order.body).toMatchObject({ status: 'DELIVERED', version: 5 });
      expect(orders.body).toHaveLength(1);
      expect(health.body.status).toBe('ok');
      expect(view.rebuild).toBeNull();
      expect(view.generation).not.toBe(before.generation);
      return view;
    }, 30_000);
    expect(after.generation).toMatch(/^v1-/);
    expect(after.state).toBe('running');
    expect(new Set(reads)).toEqual(new Set([200]));
    expect(again).toEqual([409]);
    // Seen at least once: the switch is followed by a pause in which the old generation still serves late readers.
    expect(progress.filter((report) => report.error !== null)).toEqual([]);
    const last = progress.at(-1);
    expect(last?.done).toBeGreaterThan(0);
    expect(last?.done).toBeLessThanOrEqual(last?.total ?? 0);
    expect((await api.get(`/orders/${ids.orderId}`)).body).toMatchObject({ status: 'DELIVERED', version: 5 });
    expect((await api.get(`/customers/${ids.customerId}/orders`)).body).toEqual([expect.objectContaining({ orderId: ids.orderId, status: 'DELIVERED' })]);
  });

  it('rebuilds a projection with the CLI against the same tables, and the running service follows the switch', async () => {
    const before = await projection(api, 'support-history');
    const history = (await api.get(`/customers/${ids.customerId}/support-history`)).body;
    expect(history).toHaveLength(8);
    const cli = await runCli(['projections', 'rebuild', 'support-history'], env);
    expect(cli, cli.stderr).toMatchObject({ code: 0 });
    const generation = /^support-history now serves generation (\S+)$/m.exec(cli.stdout)?.[1];
    expect(generation).toMatch(/^v1-/);
    expect(generation).not.toBe(before.generation);
    // Progress goes to stderr: the last line when it is not a terminal.
    const drawn = /\[[#.]+\] (\d+)\/(\d+) events/.exec(cli.stderr);
    expect(Number(drawn?.[1])).toBeGreaterThan(0);
    expect(Number(drawn?.[1])).toBeLessThanOrEqual(Number(drawn?.[2]));

    expect(await projection(api, 'support-history')).toMatchObject({ generation, state: 'running', failure: null });
    await eventually(async () => expect((await api.get(`/customers/${ids.customerId}/support-history`)).body).toEqual(history));
    // The rebuilt generation goes on from the stream in the service.
    const contact = await api.post(`/customers/${ids.customerId}/support-interactions`, { channel: 'PHONE', summary: 'asked where the parcel is', agent: 'bob' });
    expect(contact.status).toBeLessThan(300);
    await eventually(async () => {
      const entries = (await api.get(`/customers/${ids.customerId}/support-history`)).body as { kind: string }[];
      expect(entries.map((entry) => entry.kind)).toEqual(['ACCOUNT', 'ORDER', 'ORDER', 'PAYMENT', 'PAYMENT', 'ORDER', 'ORDER', 'ORDER', 'CONTACT']);
    });
    const health = await api.get('/health');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('stops cleanly on SIGTERM', async () => {
    const ended = await service?.stop('SIGTERM');
    expect(ended).toEqual({ code: 0, signal: null });
    expect(service?.output()).toContain('stopped: projections checkpointed, store closed');
    // Nothing was logged at warn level or above (a failed rebuild, a failed health check) all along.
    expect(service?.output()).not.toMatch(/"level":(40|50|60)/);
  });
});
