import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataFolderInUseError } from '../../src/adapters/postgres/data-folder-lock.js';
import { openPglite } from '../../src/adapters/postgres/open-postgres.js';
import { SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import { aStreamId, events } from '../support/event-mother.js';

const run = promisify(execFile);
const LOCK_FILE = 'es-core.lock';

/** Opens `dataDir` from a separate Node process and reports what happened. */
const openInAnotherProcess = async (dataDir: string): Promise<{ code: number; output: string }> => {
  const script = `
    import { openPglite } from './src/adapters/postgres/open-postgres.ts';
    import { SystemClock } from './src/adapters/runtime/system-runtime.ts';
    try {
      const adapters = await openPglite({ dataDir: process.env.TARGET_DIR, clock: new SystemClock() });
      await adapters.close();
      console.log('opened');
    } catch (error) {
      console.log(error.name + ': ' + error.message);
      process.exitCode = 3;
    }`;
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, TARGET_DIR: dataDir }, timeout: 90_000 });
    return { code: 0, output: stdout.trim() };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, output: failed.stdout.trim() };
  }
};

/** The pid of a process that has already exited. */
const deadPid = (): number => {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
};

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'es-pglite-lock-'));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('PGlite data folder lock', () => {
  it('refuses a second process while the folder is open, with a message saying who holds it', async () => {
    const holder = await openPglite({ dataDir, clock: new SystemClock() });
    try {
      const second = await openInAnotherProcess(dataDir);
      expect(second.code).toBe(3);
      expect(second.output).toContain(`DataFolderInUseError: the data folder ${dataDir} is in use by process ${process.pid}`);
      expect(second.output).toContain('only one process may open a PGlite folder at a time');
    } finally {
      await holder.close();
    }
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  });

  it('refuses a second opener in the same process too', async () => {
    const holder = await openPglite({ dataDir, clock: new SystemClock() });
    try {
      await expect(openPglite({ dataDir, clock: new SystemClock() })).rejects.toThrow(DataFolderInUseError);
    } finally {
      await holder.close();
    }
  });

  it('takes over a lock left by a process that died, and keeps the data', async () => {
    const streamId = aStreamId();
    const first = await openPglite({ dataDir, clock: new SystemClock() });
    await first.eventStore.append(streamId, events(3), 'no-stream');
    await first.close();
    writeFileSync(join(dataDir, LOCK_FILE), `${deadPid()}\n`);

    const reopened = await openInAnotherProcess(dataDir);
    expect(reopened).toEqual({ code: 0, output: 'opened' });
    const again = await openPglite({ dataDir, clock: new SystemClock() });
    try {
      expect((await again.eventStore.readStream(streamId)).map((e) => e.version)).toEqual([1, 2, 3]);
    } finally {
      await again.close();
    }
  });
});
