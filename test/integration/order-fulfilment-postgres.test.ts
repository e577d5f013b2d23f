import { afterAll, beforeAll } from 'vitest';
import { openFulfilmentApp } from '../support/fulfilment-app.js';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { fulfilmentSuite } from './order-fulfilment.suite.js';

let server: PostgresServer | undefined;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

fulfilmentSuite('PostgreSQL', async () => {
  if (server === undefined) throw new Error('PostgreSQL did not start');
  return openFulfilmentApp({ store: 'postgres', databaseUrl: await server.createDatabase() });
});
