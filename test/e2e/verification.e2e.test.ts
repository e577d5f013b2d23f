import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ed25519CheckpointSigner } from '../../src/adapters/anchors/ed25519-checkpoint-signer.js';
import { FolderAnchorStore } from '../../src/adapters/anchors/folder-anchor-store.js';
import { StoreAudit } from '../../src/application/audit/store-audit.js';
import type { EventStore } from '../../src/application/ports/event-store.js';
import { TOKENS } from '../../src/main/tokens.js';
import { asRole } from '../support/auth-tokens.js';
import { startInProcess, type InProcessService } from './support/in-process-service.js';
import { registerBody, walkthroughIds } from './support/walkthrough.js';

/** The store as held, except that events of the stream named read back with their data changed: what an edit in the database looks like. */
const editedOnRead = (store: EventStore, streamId: string): EventStore => ({
  append: (...args) => store.append(...args),
  readByType: (...args) => store.readByType(...args),
  close: () => store.close(),
  readStream: async (id, options) => (await store.readStream(id, options)).map((event) => (id === streamId && event.version === 1 ? { ...event, data: { edited: true } } : event)),
});

describe('GET /aggregates/{type}/{id}/verification', () => {
  let server: InProcessService;
  const clean = walkthroughIds('verify-clean');
  const edited = walkthroughIds('verify-edited');

  beforeAll(async () => {
    server = await startInProcess((container) => {
      const sealed = container.get(TOKENS.SealedEventStore);
      const signer = new Ed25519CheckpointSigner(generateKeyPairSync('ed25519').privateKey);
      container.rebind(TOKENS.Audit).toConstantValue(
        new StoreAudit({
          events: editedOnRead(sealed, `Customer-${edited.customerId}`),
          archive: container.get(TOKENS.SealedEventArchive),
          anchors: new FolderAnchorStore(mkdtempSync(join(tmpdir(), 'anchors-'))),
          signer: async () => signer,
          clock: container.get(TOKENS.Clock),
        }),
      );
    });
    for (const ids of [clean, edited]) expect((await server.api.post('/customers', registerBody(ids))).status).toBe(201);
  });

  afterAll(async () => {
    await server?.service.stop();
  });

  it('answers an operator 200 with verified true for an untouched stream', async () => {
    const response = await server.api.as(asRole('operator')).get(`/aggregates/customer/${clean.customerId}/verification`);
    expect(response).toMatchObject({ status: 200, body: { streamId: `Customer-${clean.customerId}`, verified: true, events: 1 } });
    expect(response.body.firstMismatch).toBeUndefined();
  });

  it('answers 200 with verified false and the first event that does not match', async () => {
    const response = await server.api.as(asRole('operator')).get(`/aggregates/customer/${edited.customerId}/verification`);
    expect(response).toMatchObject({ status: 200, body: { verified: false, firstMismatch: { streamId: `Customer-${edited.customerId}`, version: 1, kind: 'content-edited' } } });
    expect(response.body.firstMismatch.expectedHash).not.toBe(response.body.firstMismatch.foundHash);
  });

  it('is for operators only, and 404 for a stream without events', async () => {
    expect((await server.api.as(asRole('support')).get(`/aggregates/customer/${clean.customerId}/verification`)).status).toBe(403);
    expect(await server.api.as(asRole('operator')).get('/aggregates/order/nobody/verification')).toMatchObject({ status: 404, body: { code: 'ORDER.NOT_FOUND' } });
    expect((await server.api.as(asRole('operator')).get('/aggregates/spaceship/x/verification')).status).toBe(400);
  });
});
