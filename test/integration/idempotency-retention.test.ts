import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTimeToLiveCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { dynamoDbClient } from '../../src/adapters/dynamodb/dynamodb-settings.js';
import { IDEMPOTENCY_TTL_ATTRIBUTE } from '../../src/adapters/dynamodb/table-definitions.js';
import { openPglite } from '../../src/adapters/postgres/open-postgres.js';
import { SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import type { ClaimLease } from '../../src/application/ports/idempotency-store.js';
import { localSettings } from '../support/dynamodb-adapters.js';
import { useDynamoDbLocal } from '../support/dynamodb-suite.js';
import { aStreamId, anEvent } from '../support/event-mother.js';

const at = (instant: string, ms = 0): string => new Date(Date.parse(instant) + ms).toISOString();
const aLease = (now: string, expiresAt: string): ClaimLease => ({ owner: randomUUID(), now, until: at(now, 5_000), expiresAt });

describe('idempotency records on PGlite', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'es-idempotency-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('removes expired records a bounded batch at a time; frees a dead process\'s claims when its data folder is opened again', async () => {
    const now = new Date().toISOString();
    const day = 86_400_000;
    const first = await openPglite({ dataDir, clock: new SystemClock() });
    const [running, done] = [randomUUID(), randomUUID()];
    try {
      const store = first.idempotency;
      const expired = Array.from({ length: 5 }, () => randomUUID());
      for (const [n, key] of expired.entries()) await store.claim(key, aLease(now, at(now, n + 1)));
      await store.claim(running, aLease(now, at(now, day)));
      const doneLease = aLease(now, at(now, day));
      await store.claim(done, doneLease);
      const completion = { key: done, owner: doneLease.owner, fingerprint: 'f', outcome: { ok: true }, expiresAt: doneLease.expiresAt };
      (await first.eventStore.append(aStreamId(), [anEvent()], 'no-stream', { idempotency: completion }))._unsafeUnwrap();
      // Oldest first, at most the limit each time; the records that have not expired stay.
      const later = at(now, 60_000);
      expect(await store.removeExpired(later, 3)).toBe(3);
      expect(await store.removeExpired(later, 3)).toBe(2);
      expect(await store.removeExpired(later, 3)).toBe(0);
      const [row] = await first.driver.query<{ keys: number }>('SELECT count(*)::integer AS keys FROM es_idempotency_keys WHERE key = ANY($1)', [[...expired, running, done]]);
      expect(row?.keys).toBe(2);
    } finally {
      await first.close();
    }
    // The folder is locked to one process: whatever claim it holds on opening belongs to a process that died.
    const second = await openPglite({ dataDir, clock: new SystemClock() });
    try {
      expect(await second.idempotency.claim(running, aLease(now, at(now, day)))).toEqual({ status: 'claimed' });
      expect(await second.idempotency.claim(done, aLease(now, at(now, day)))).toEqual({ status: 'completed', stored: { fingerprint: 'f', outcome: { ok: true } } });
    } finally {
      await second.close();
    }
  });
});

describe('idempotency records on DynamoDB Local', () => {
  const { adapters, server } = useDynamoDbLocal();

  it('has TTL on the idempotency table, by the epoch seconds every record carries (claims, refusals and appends)', async () => {
    const client = dynamoDbClient(localSettings(server()));
    try {
      const { idempotency, eventStore, tables } = adapters();
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tables.idempotency }));
      expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: IDEMPOTENCY_TTL_ATTRIBUTE });
      const now = new Date().toISOString();
      const expiresAt = at(now, 86_400_000 + 1);
      const epochOf = async (key: string) =>
        (await client.send(new GetItemCommand({ TableName: tables.idempotency, Key: { IdempotencyKey: { S: key } }, ConsistentRead: true }))).Item?.[IDEMPOTENCY_TTL_ATTRIBUTE]?.N;
      const [claimed, refused, appended] = [randomUUID(), randomUUID(), randomUUID()];
      const leases = [aLease(now, expiresAt), aLease(now, expiresAt), aLease(now, expiresAt)] as const;
      await idempotency.claim(claimed, leases[0]);
      await idempotency.claim(refused, leases[1]);
      expect(await idempotency.complete({ key: refused, owner: leases[1].owner, fingerprint: 'f', outcome: { ok: false }, expiresAt })).toBe(true);
      await idempotency.claim(appended, leases[2]);
      (await eventStore.append(aStreamId(), [anEvent()], 'no-stream', { idempotency: { key: appended, owner: leases[2].owner, fingerprint: 'f', outcome: { ok: true }, expiresAt } }))._unsafeUnwrap();
      const seconds = String(Math.ceil(Date.parse(expiresAt) / 1_000));
      expect([await epochOf(claimed), await epochOf(refused), await epochOf(appended)]).toEqual([seconds, seconds, seconds]);
    } finally {
      client.destroy();
    }
  });
});
