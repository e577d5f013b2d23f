import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgDriver } from '../../src/adapters/postgres/pg-driver.js';
import { PgliteDriver } from '../../src/adapters/postgres/pglite-driver.js';
import { appFrom } from '../../src/main/app.js';
import { loadConfig } from '../../src/main/config.js';
import { createContainer } from '../../src/main/container.js';
import { TOKENS } from '../../src/main/tokens.js';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { eraseSubject, found, plaintextOf, recordSubject, subjectValues } from './support/erasure-scenario.js';
import { folderText, postgresText } from './support/erasure-scans.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'gdpr-'));
});
afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('GDPR erasure on PGlite: no plaintext of the subject left in any table or file of the data folder', () => {
  it('reads the subject in the clear before, erased on every read path after, and the store holds ciphertext only', async () => {
    const dataDir = join(folder, 'pglite');
    const v = subjectValues();
    const container = await createContainer(loadConfig({}, { store: 'pglite', dataDir, fulfilment: 'manual', snapshotEvery: 1 }));
    const app = appFrom(container, {});
    try {
      await recordSubject(app, container.get(TOKENS.DeadLetterStore), v);
      await eraseSubject(app, container.get(TOKENS.DeadLetterStore), v);
    } finally {
      await app.close();
    }
    const db = await PgliteDriver.open(dataDir);
    let tables: string;
    try {
      tables = await postgresText(db);
    } finally {
      await db.close();
    }
    // The scans see what is stored: the subject's id is there (it identifies nobody once their data is gone).
    expect(tables).toContain(v.customerId);
    expect(found(tables, plaintextOf(v))).toEqual([]);
    const files = await folderText(dataDir);
    expect(files).toContain(v.customerId);
    expect(found(files, plaintextOf(v))).toEqual([]);
  });
});

describe('GDPR erasure on PostgreSQL: no plaintext of the subject left in any table', () => {
  let server: PostgresServer | undefined;
  afterAll(async () => server?.stop());

  it('reads the subject in the clear before, erased on every read path after, and the store holds ciphertext only', async () => {
    server = await startPostgres();
    const url = await server.createDatabase();
    const v = subjectValues();
    const config = loadConfig({}, { store: 'postgres', databaseUrl: url, dataDir: join(folder, 'postgres'), fulfilment: 'manual', snapshotEvery: 1 });
    const container = await createContainer({ ...config, masterKey: { kind: 'file', path: join(folder, 'postgres', 'master.key') } });
    const app = appFrom(container, {});
    try {
      await recordSubject(app, container.get(TOKENS.DeadLetterStore), v);
      await eraseSubject(app, container.get(TOKENS.DeadLetterStore), v);
    } finally {
      await app.close();
    }
    const db = new PgDriver({ connectionString: url });
    try {
      const tables = await postgresText(db);
      expect(tables).toContain(v.customerId);
      expect(found(tables, plaintextOf(v))).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
