import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDbClient } from '../../src/adapters/dynamodb/dynamodb-settings.js';
import { appFrom } from '../../src/main/app.js';
import { loadConfig } from '../../src/main/config.js';
import { createContainer } from '../../src/main/container.js';
import { TOKENS } from '../../src/main/tokens.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../support/dynamodb-local.js';
import { KmsFake } from '../support/kms-fake/kms-fake.js';
import { eraseSubject, found, plaintextOf, recordSubject, subjectValues } from './support/erasure-scenario.js';
import { dynamoDbText } from './support/erasure-scans.js';

let server: DynamoDbLocal;
let kms: KmsFake;
let folder: string;

beforeAll(async () => {
  [server, kms, folder] = await Promise.all([startDynamoDbLocal(), KmsFake.start(), mkdtemp(join(tmpdir(), 'gdpr-'))]);
});
afterAll(async () => {
  await Promise.all([server?.stop(), kms?.close(), folder ? rm(folder, { recursive: true, force: true }) : undefined]);
});

describe('GDPR erasure on DynamoDB Local with KMS: no plaintext of the subject left in any table', () => {
  it('reads the subject in the clear before, erased on every read path after, and every table holds ciphertext only', async () => {
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
    const prefix = `gdpr${randomUUID().slice(0, 8)}-`;
    const settings = { endpoint: server.endpoint, region: 'us-east-1', tablePrefix: prefix, billingMode: 'PAY_PER_REQUEST' as const };
    const config = loadConfig({}, { store: 'dynamodb', dynamodb: settings, dataDir: folder, fulfilment: 'manual', snapshotEvery: 1 });
    const container = await createContainer({ ...config, masterKey: { kind: 'kms', keyId: kms.createKey(), region: 'us-east-1', endpoint: kms.endpoint } });
    const app = appFrom(container, {});
    const v = subjectValues();
    try {
      await recordSubject(app, container.get(TOKENS.DeadLetterStore), v);
      // One data key for the subject, unwrapped once: the cache spares KMS every other call.
      expect(kms.calls.filter((call) => call === 'TrentService.GenerateDataKey')).toHaveLength(1);
      await eraseSubject(app, container.get(TOKENS.DeadLetterStore), v);
    } finally {
      await app.close();
    }
    const client = dynamoDbClient(settings);
    try {
      const tables = await dynamoDbText(client, prefix);
      expect(tables).toContain(v.customerId);
      expect(found(tables, plaintextOf(v))).toEqual([]);
    } finally {
      client.destroy();
    }
  });
});
