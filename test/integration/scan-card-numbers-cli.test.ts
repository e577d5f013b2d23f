import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { cliProgram } from '../../src/adapters/cli/cli-program.js';
import { CardNumbersFound } from '../../src/adapters/cli/scan-card-numbers-command.js';
import { openPglite } from '../../src/adapters/postgres/open-postgres.js';
import { SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import { loadConfig } from '../../src/main/config.js';
import { openStoredTextSources } from '../../src/main/stored-text-sources.js';
import { anEvent } from '../support/event-mother.js';

const dataDir = mkdtempSync(join(tmpdir(), 'es-scan-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const scan = async (...args: string[]): Promise<{ lines: string[]; failure: unknown }> => {
  const lines: string[] = [];
  const program = cliProgram(
    async () => {
      throw new Error('the scan needs no application');
    },
    { out: (line) => lines.push(line), progress: new PassThrough() as unknown as NodeJS.WriteStream },
    undefined,
    (logs) => openStoredTextSources(loadConfig({}, { store: 'pglite', dataDir }), logs),
  );
  program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
  const failure = await program.parseAsync(['node', 'cli', 'scan-card-numbers', ...args]).then(
    () => null,
    (error: unknown) => error,
  );
  return { lines, failure };
};

describe('npm run cli -- scan-card-numbers', () => {
  // A clean store passing is shown by the card number fuzz (test/e2e/card-number-fuzz.e2e.test.ts).
  it('reports each card number by table, key and field with its last four digits only, and fails', async () => {
    const adapters = await openPglite({ dataDir, clock: new SystemClock() });
    const event = anEvent();
    (await adapters.eventStore.append('Order-o-9', [{ ...event, data: { ...(event.data as object), note: 'card 5500 0000 0000 0004' } }], 'no-stream'))._unsafeUnwrap();
    await adapters.close();
    const logFile = join(dataDir, 'service.log');
    writeFileSync(logFile, `${JSON.stringify({ level: 30, time: 1764493200004, msg: 'incoming request', req: { url: '/orders/4111111111111111' } })}\nplain text line\n`);

    const dirty = await scan('--logs', logFile);
    expect(dirty.failure).toBeInstanceOf(CardNumbersFound);
    expect((dirty.failure as Error).message).toMatch(/^2 card numbers in \d+ values/);
    expect(dirty.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^es_events global_position=\d+ stream_id=Order-o-9 version=1 data\.note: a mastercard number ending 0004$/),
        `${logFile} line 1 req.url: a visa number ending 1111`,
      ]),
    );
    expect(dirty.lines.join('\n')).not.toMatch(/5500000000000004|4111111111111111/);
  });
});
