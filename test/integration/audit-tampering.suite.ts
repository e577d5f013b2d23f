import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { DynamoDbAdapters } from '../../src/adapters/dynamodb/open-dynamodb.js';
import { Ed25519CheckpointSigner } from '../../src/adapters/anchors/ed25519-checkpoint-signer.js';
import { FolderAnchorStore } from '../../src/adapters/anchors/folder-anchor-store.js';
import { StoreAudit, UnverifiedStoreError } from '../../src/application/audit/store-audit.js';
import type { EventArchive } from '../../src/application/ports/event-archive.js';
import type { EventStore } from '../../src/application/ports/event-store.js';
import { aStreamId, events } from '../support/event-mother.js';

/** Writes straight to the store's tables, as someone with database access would, around the application. */
export interface Tamperer {
  /** Changes the event's data in place (its hash left as it was). */
  editData(streamId: string, version: number): Promise<void>;
  deleteEvent(streamId: string, version: number): Promise<void>;
  /** Gives event `a` version `b` and event `b` version `a`. */
  swapVersions(streamId: string, a: number, b: number): Promise<void>;
}

export interface TamperingFixture {
  readonly store: EventStore;
  /** Every stored event, as verification walks it (the global log, or a parallel Scan). */
  readonly archive: EventArchive;
  readonly tamper: Tamperer;
}

/**
 * Issue 11 (SOX): each kind of tampering done directly in the store is named by verify, with the stream, the version and
 * the kind; the ones that leave every chain intact (the last event deleted, a stream rolled back and written again)
 * are caught against the signed anchor written before.
 */
export const tamperingSuite = (name: string, fixture: () => TamperingFixture): void => {
  describe(`audit chain against tampering: ${name}`, () => {
    const folders: string[] = [];
    afterAll(async () => {
      for (const folder of folders) await rm(folder, { recursive: true, force: true });
    });

    it('names an edited event, swapped versions, a deleted last event and a rewritten stream, by stream, version and kind', async () => {
      const { store, archive, tamper } = fixture();
      const folder = await mkdtemp(join(tmpdir(), 'anchors-'));
      folders.push(folder);
      const signer = new Ed25519CheckpointSigner(generateKeyPairSync('ed25519').privateKey);
      const audit = new StoreAudit({ events: store, archive, anchors: new FolderAnchorStore(folder), signer: async () => signer, clock: { now: () => new Date().toISOString() } });
      const [edited, swapped, truncated, rewritten, untouched] = [aStreamId(), aStreamId(), aStreamId(), aStreamId(), aStreamId()];
      for (const streamId of [edited, swapped, truncated, rewritten, untouched]) {
        await store.append(streamId, events(2), 'no-stream');
        await store.append(streamId, events(1), 2);
      }
      // Anchoring walks the whole store first and refuses one that does not verify.
      const written = await audit.anchor();
      expect(written.anchor.checkpoint.events).toBeGreaterThanOrEqual(15);
      expect(written.anchor.heads).toEqual(expect.arrayContaining([expect.objectContaining({ streamId: truncated, version: 3 })]));

      await tamper.editData(edited, 2);
      await tamper.swapVersions(swapped, 2, 3);
      await tamper.deleteEvent(truncated, 3);
      await tamper.deleteEvent(rewritten, 3);
      expect((await store.append(rewritten, events(1), 2))._unsafeUnwrap().nextVersion).toBe(3);

      expect((await audit.verifyStream(edited)).firstMismatch).toMatchObject({ streamId: edited, version: 2, kind: 'content-edited' });
      expect((await audit.verifyStream(swapped)).firstMismatch).toMatchObject({ streamId: swapped, version: 2, kind: 'chain-broken' });
      // Chains that are whole on their own: only the anchor can tell.
      expect((await audit.verifyStream(truncated)).verified).toBe(true);
      expect((await audit.verifyStream(rewritten)).verified).toBe(true);
      expect((await audit.verifyStream(untouched)).verified).toBe(true);

      const report = await audit.verifyStore({ againstAnchor: true });
      expect(report.verified).toBe(false);
      expect(report.anchor).toMatchObject({ name: written.name, problem: null });
      const ours = new Set([edited, swapped, truncated, rewritten, untouched]);
      const found = report.mismatches.filter((m) => ours.has(m.streamId)).map((m) => [m.streamId, m.version, m.kind]);
      expect(found).toEqual(
        expect.arrayContaining([
          [edited, 2, 'content-edited'],
          [swapped, 2, 'chain-broken'],
          // The swap also moved another event to the anchored head's version.
          [swapped, 3, 'rewritten'],
          [truncated, 3, 'truncated'],
          [rewritten, 3, 'rewritten'],
        ]),
      );
      expect(found).toHaveLength(5);
      await expect(audit.anchor()).rejects.toBeInstanceOf(UnverifiedStoreError);
    });
  });
};

/** The tampering fixture over DynamoDB tables, edited through a client of the test's own. */
export const dynamoDbTampering = (raw: DynamoDBClient, adapters: DynamoDbAdapters): TamperingFixture => {
  const TableName = adapters.tables.events;
  const key = (streamId: string, version: number) => ({ AggregateId: { S: streamId }, Version: { N: String(version) } });
  const get = (streamId: string, version: number) => raw.send(new GetItemCommand({ TableName, Key: key(streamId, version), ConsistentRead: true }));
  return {
    store: adapters.eventStore,
    archive: adapters.archive,
    tamper: {
      editData: async (streamId, version) => {
        const data = { ...(JSON.parse((await get(streamId, version)).Item?.Data?.S ?? '{}') as object), totalAmount: 1 };
        await raw.send(new UpdateItemCommand({ TableName, Key: key(streamId, version), UpdateExpression: 'SET #d = :d', ExpressionAttributeNames: { '#d': 'Data' }, ExpressionAttributeValues: { ':d': { S: JSON.stringify(data) } } }));
      },
      deleteEvent: async (streamId, version) => {
        await raw.send(new DeleteItemCommand({ TableName, Key: key(streamId, version) }));
      },
      swapVersions: async (streamId, a, b) => {
        const [first, second] = [await get(streamId, a), await get(streamId, b)];
        await raw.send(new PutItemCommand({ TableName, Item: { ...first.Item, Version: { N: String(b) } } }));
        await raw.send(new PutItemCommand({ TableName, Item: { ...second.Item, Version: { N: String(a) } } }));
      },
    },
  };
};
