import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { cliProgram } from '../../src/adapters/cli/cli-program.js';
import type { StatusReport } from '../../src/adapters/cli/status-command.js';
import { FixedClock, RandomUuids } from '../../src/adapters/runtime/system-runtime.js';
import { appFrom, type App } from '../../src/main/app.js';
import { loadConfig } from '../../src/main/config.js';
import { createContainer } from '../../src/main/container.js';
import { TOKENS } from '../../src/main/tokens.js';
import { context, placeOrder } from '../support/memory-app.js';
import { poisonOrderSummary } from '../support/poisoned-projection.js';

const run = async (app: App, ...args: string[]): Promise<{ lines: string[]; error: Error | null }> => {
  const lines: string[] = [];
  const progress = new PassThrough() as unknown as NodeJS.WriteStream;
  const program = cliProgram(async () => ({ ...app, close: async () => {} }), { out: (line) => lines.push(line), progress });
  program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
  // A rejection is what bin/cli turns into exit code 1.
  const error = await program.parseAsync(['node', 'cli', ...args]).then(
    () => null,
    (failure: unknown) => failure as Error,
  );
  return { lines, error };
};

const openApp = async () => {
  const folder = mkdtempSync(join(tmpdir(), 'status-cli-'));
  const config = loadConfig({ ANCHOR_DIR: join(folder, 'anchors'), ANCHOR_SIGNING_KEY_FILE: join(folder, 'anchor-key.pem') }, { store: 'memory' });
  const container = await createContainer(config, { clock: new FixedClock('2026-03-01T09:00:00.000Z'), ids: new RandomUuids() });
  return { container, app: appFrom(container, {}) };
};

describe('cli status', () => {
  it('shows every consumer, no dead letters, no overdue workflow and the newest anchor, and exits cleanly', async () => {
    const { app } = await openApp();
    (await app.inventory.handle({ type: 'ReceiveStock', sku: 'SKU-1', quantity: 10 }, context()))._unsafeUnwrap();
    await app.catchUp();
    const before = await run(app, 'status');
    expect(before.error).toBeNull();
    expect(before.lines[0]).toMatch(/^CONSUMER +KIND +STATE +HOLDER +POSITION +LAG +LAG TIME$/);
    expect(before.lines).toContainEqual(expect.stringMatching(/^order-summary +projection +running +\S+ +1 +0 ev +-$/));
    expect(before.lines).toContainEqual(expect.stringMatching(/^workflow:order-fulfilment +workflow +idle +- +- +1 ev +-$/));
    expect(before.lines).toContain('newest anchor    none');
    expect(before.lines.at(-1)).toBe('all well');

    const written = (await app.audit.anchor()).anchor.checkpoint;
    const after = await run(app, 'status', '--json');
    expect(after.error).toBeNull();
    const report = JSON.parse(after.lines.join('\n')) as StatusReport;
    expect(report).toMatchObject({ deadLetters: { count: 0, oldest: null }, pastDeadline: { count: 0 }, attention: [] });
    expect(report.anchor).toMatchObject({ createdAt: written.createdAt, root: written.root, streams: 1, events: 1, problem: null });
    await app.close();
  });

  it('reports a dead letter and a parked projection and exits non-zero', async () => {
    const { app, container } = await openApp();
    await placeOrder(app, { customerId: 'c-1', orderId: 'o-1', sku: 'SKU-1' });
    const restore = poisonOrderSummary((event) => event.type === 'OrderCreated', 'cannot read this event');
    try {
      await app.catchUp();
      const stopped = await run(app, 'status');
      expect(stopped.error?.message).toMatch(/^needs attention: order-summary: stopped at OrderCreated /);
      expect(stopped.lines).toContainEqual(expect.stringMatching(/^order-summary +projection +stopped /));
      await app.projections.park('order-summary');
    } finally {
      restore();
    }
    const [event] = await app.eventStore.readStream('Order-o-1');
    await container.get(TOKENS.DeadLetterStore).put([{ event: event!, code: 'PUBLISH.REJECTED_BY_BUS', message: 'malformed', busErrorCode: 'MalformedDetail', deadLetteredAt: '2026-03-01T09:00:01.000Z' }]);
    const flagged = await run(app, 'status');
    expect(flagged.error?.message).toBe('needs attention: order-summary: 1 parked event(s); 1 dead letter(s)');
    expect(flagged.lines).toContainEqual(expect.stringMatching(/^order-summary +projection +parked /));
    expect(flagged.lines).toContain('dead letters     1  oldest 2026-03-01T09:00:01.000Z');
    const json = await run(app, 'status', '--json');
    expect(json.error).not.toBeNull();
    expect((JSON.parse(json.lines.join('\n')) as StatusReport).deadLetters).toEqual({ count: 1, oldest: '2026-03-01T09:00:01.000Z' });
    await app.close();
  });
});
