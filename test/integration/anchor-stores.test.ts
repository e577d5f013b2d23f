import { createHash } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderAnchorStore } from '../../src/adapters/anchors/folder-anchor-store.js';
import { S3AnchorStore } from '../../src/adapters/anchors/s3-anchor-store.js';
import { AnchorExistsError, type AnchorStore } from '../../src/application/ports/anchor-store.js';
import { S3Fake } from '../support/s3-fake/s3-fake.js';

const NOW = '2026-11-30T09:00:00.000Z';
const clock = { now: () => NOW };

const anchorStoreContract = (name: string, open: () => AnchorStore): void => {
  describe(`AnchorStore: ${name}`, () => {
    it('writes anchors once, never over an existing name, and hands back the newest', async () => {
      const anchors = open();
      expect(await anchors.latest()).toBeNull();
      await anchors.write('checkpoint-2026-11-30T09-00-00-000Z-aaaa.json', '{"n":1}');
      await anchors.write('checkpoint-2026-11-30T10-00-00-000Z-bbbb.json', '{"n":2}');
      await expect(anchors.write('checkpoint-2026-11-30T09-00-00-000Z-aaaa.json', '{"n":3}')).rejects.toBeInstanceOf(AnchorExistsError);
      expect(await anchors.latest()).toEqual({ name: 'checkpoint-2026-11-30T10-00-00-000Z-bbbb.json', body: '{"n":2}' });
    });
  });
};

let folder: string;
const fake = new S3Fake(['audit-anchors']);
let client: S3Client;
let fakeEndpoint: Promise<string>;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'anchors-'));
  fakeEndpoint = fake.start();
  const endpoint = await fakeEndpoint;
  client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});

afterAll(async () => {
  client?.destroy();
  await fake.stop();
  await rm(folder, { recursive: true, force: true });
});

anchorStoreContract('folder', () => new FolderAnchorStore(join(folder, 'one')));
anchorStoreContract('s3 with Object Lock', () => new S3AnchorStore(client, { bucket: 'audit-anchors', prefix: 'prod/', retentionDays: 2555 }, clock));

describe('anchor stores, their own guarantees', () => {
  it('leaves a folder anchor read-only', async () => {
    const anchors = new FolderAnchorStore(join(folder, 'modes'));
    await anchors.write('checkpoint-2026-11-30T09-00-00-000Z-cccc.json', '{}');
    expect((await stat(join(folder, 'modes', 'checkpoint-2026-11-30T09-00-00-000Z-cccc.json'))).mode & 0o222).toBe(0);
  });

  it('locks each S3 anchor in COMPLIANCE mode until its retention ends, with a SHA-256 checksum S3 checked', async () => {
    const anchors = new S3AnchorStore(client, { bucket: 'audit-anchors', prefix: 'locked/', retentionDays: 10 }, clock);
    await anchors.write('checkpoint-2026-11-30T09-00-00-000Z-dddd.json', '{"x":1}');
    const stored = fake.object('audit-anchors', 'locked/checkpoint-2026-11-30T09-00-00-000Z-dddd.json');
    expect(stored?.lockMode).toBe('COMPLIANCE');
    expect(stored?.retainUntil?.toISOString()).toBe('2026-12-10T09:00:00.000Z');
    expect(stored?.body.toString()).toBe('{"x":1}');
  });

  it('has a fake that refuses what S3 refuses: an Object Lock put without a checksum, a taken name under If-None-Match; and lists in pages', async () => {
    const bare = new S3Client({ endpoint: await fakeEndpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, requestChecksumCalculation: 'WHEN_REQUIRED' });
    const lockedPut = (key: string, extra: object = {}) =>
      bare.send(new PutObjectCommand({ Bucket: 'audit-anchors', Key: key, Body: 'x', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: new Date(Date.now() + 60_000), ...extra }));
    await expect(lockedPut('raw/x')).rejects.toMatchObject({ name: 'InvalidRequest' });
    await lockedPut('raw/y', { ContentMD5: createHash('md5').update('x').digest('base64') });
    await expect(lockedPut('raw/y', { ContentMD5: createHash('md5').update('x').digest('base64'), IfNoneMatch: '*' })).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });
    bare.destroy();
    const first = await client.send(new ListObjectsV2Command({ Bucket: 'audit-anchors', Prefix: 'prod/', MaxKeys: 1 }));
    expect(first.IsTruncated).toBe(true);
    const second = await client.send(new ListObjectsV2Command({ Bucket: 'audit-anchors', Prefix: 'prod/', MaxKeys: 1, ContinuationToken: first.NextContinuationToken }));
    expect([first.Contents?.[0]?.Key, second.Contents?.[0]?.Key]).toEqual(['prod/checkpoint-2026-11-30T09-00-00-000Z-aaaa.json', 'prod/checkpoint-2026-11-30T10-00-00-000Z-bbbb.json']);
  });
});
