import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { cliProgram } from '../../src/adapters/cli/cli-program.js';
import { StoreAudit } from '../../src/application/audit/store-audit.js';
import type { EventEnvelope } from '../../src/application/events/envelope.js';
import type { EventArchive } from '../../src/application/ports/event-archive.js';
import { appFrom, type App } from '../../src/main/app.js';
import { anchorStoreOf, signerOf } from '../../src/main/audit-module.js';
import { loadConfig } from '../../src/main/config.js';
import { createContainer } from '../../src/main/container.js';
import { TOKENS } from '../../src/main/tokens.js';
import { context } from '../support/memory-app.js';

const run = async (app: App, ...args: string[]): Promise<{ lines: string[]; progress: string }> => {
  const lines: string[] = [];
  const progress = new PassThrough() as unknown as NodeJS.WriteStream;
  let drawn = '';
  (progress as unknown as PassThrough).on('data', (chunk: Buffer) => (drawn += chunk.toString()));
  const program = cliProgram(async () => ({ ...app, close: async () => {} }), { out: (line) => lines.push(line), progress });
  program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
  await program.parseAsync(['node', 'cli', ...args]);
  return { lines, progress: drawn };
};

/** The archive as held, with `change` applied to what it hands over: a store someone edited. */
const tampered = (archive: EventArchive, change: (events: readonly EventEnvelope[]) => EventEnvelope[]): EventArchive => ({
  scan: (onBatch) => archive.scan(async (events) => onBatch(change(events))),
  approximateCount: () => archive.approximateCount(),
});

describe('cli verify and anchor', () => {
  it('verifies with progress, anchors, and exits non-zero naming the stream, version and kind of a mismatch or a truncation', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'audit-cli-'));
    const config = loadConfig({ ANCHOR_DIR: join(folder, 'anchors'), ANCHOR_SIGNING_KEY_FILE: join(folder, 'anchor-key.pem') }, { store: 'memory' });
    const container = await createContainer(config);
    const app = appFrom(container);
    for (const sku of ['SKU-1', 'SKU-2']) {
      (await app.inventory.handle({ type: 'ReceiveStock', sku, quantity: 10 }, context()))._unsafeUnwrap();
      (await app.inventory.handle({ type: 'ReceiveStock', sku, quantity: 5 }, context()))._unsafeUnwrap();
    }
    const verified = await run(app, 'verify');
    expect(verified.lines.at(-1)).toBe('verified: 4 events in 2 streams, 0 with a mismatch');
    expect(verified.progress).toMatch(/\[#+\] 4\/4 events/);
    expect((await run(app, 'verify', '--stream', 'Inventory-SKU-1')).lines).toEqual(['verified: 2 events in 1 streams, 0 with a mismatch']);
    const anchored = await run(app, 'anchor');
    expect(anchored.lines[0]).toMatch(/^anchored 2 streams \(4 events\), root [0-9a-f]{64}, key [0-9a-f]{16}: .*anchors\/checkpoint-.*\.json$/);
    expect((await run(app, 'verify', '--against-anchor')).lines[0]).toMatch(/^anchor checkpoint-.* \(.*, 2 streams\): signature valid$/);

    const sealed = container.get(TOKENS.SealedEventArchive);
    const auditOver = (archive: EventArchive) =>
      new StoreAudit({ events: container.get(TOKENS.SealedEventStore), archive, anchors: anchorStoreOf(config.audit, container.get(TOKENS.Clock)), signer: signerOf(config.audit), clock: container.get(TOKENS.Clock) });
    const edited = { ...app, audit: auditOver(tampered(sealed, (events) => events.map((e) => (e.streamId === 'Inventory-SKU-2' && e.version === 2 ? { ...e, data: { quantity: 500 } } : e)))) };
    const lines: string[] = [];
    await expect(
      cliProgram(async () => ({ ...edited, close: async () => {} }), { out: (line) => lines.push(line), progress: new PassThrough() as unknown as NodeJS.WriteStream }).parseAsync(['node', 'cli', 'verify']),
    ).rejects.toThrow('verification failed at Inventory-SKU-2 v2 (content-edited)');
    expect(lines[0]).toMatch(/^MISMATCH Inventory-SKU-2 v2 content-edited \(event [0-9a-f-]{36}\): /);

    const truncated = { ...app, audit: auditOver(tampered(sealed, (events) => events.filter((e) => !(e.streamId === 'Inventory-SKU-1' && e.version === 2)))) };
    await expect(run(truncated, 'verify')).resolves.toBeDefined();
    await expect(run(truncated, 'verify', '--against-anchor')).rejects.toThrow('verification failed at Inventory-SKU-1 v2 (truncated)');
    await app.close();
  });
});
