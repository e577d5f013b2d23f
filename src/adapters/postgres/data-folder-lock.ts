import { linkSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const LOCK_FILE = 'es-core.lock';
const TAKEOVER_FILE = 'es-core.lock.takeover';

export class DataFolderInUseError extends Error {
  override readonly name = 'DataFolderInUseError';
}

export interface DataFolderLock {
  release(): void;
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const holderOf = (path: string): number | null => {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
};

/** Creates `path` holding our pid, complete from the first instant (a hard link is atomic); false when it exists. */
const create = (path: string): boolean => {
  const draft = `${path}.${process.pid}.draft`;
  writeFileSync(draft, `${process.pid}\n`);
  try {
    linkSync(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(draft, { force: true });
  }
};

const removeIfHeldBy = (path: string, pid: number | null): void => {
  if (holderOf(path) !== pid) return;
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
};

const inUse = (folder: string, pid: number): DataFolderInUseError =>
  new DataFolderInUseError(
    `the data folder ${folder} is in use by process ${pid}${pid === process.pid ? ' (this one)' : ''}: ` +
      'stop that process or choose another folder (DATA_DIR); only one process may open a PGlite folder at a time',
  );

/**
 * PGlite does not lock its folder, and two processes writing one folder corrupt it. This lock is a
 * file holding the owner's pid, created exclusively; a lock whose process is gone is taken over,
 * under a second exclusive file so that two processes finding the same stale lock do not both win.
 */
export const lockDataFolder = (folder: string): DataFolderLock => {
  const dir = resolve(folder);
  mkdirSync(dir, { recursive: true });
  const lockPath = join(dir, LOCK_FILE);
  const takeoverPath = join(dir, TAKEOVER_FILE);
  for (let attempt = 0; attempt < 5; attempt += 1) {
    if (create(lockPath)) return { release: () => removeIfHeldBy(lockPath, process.pid) };
    const holder = holderOf(lockPath);
    if (holder !== null && isAlive(holder)) throw inUse(dir, holder);
    if (!create(takeoverPath)) {
      const taker = holderOf(takeoverPath);
      if (taker !== null && isAlive(taker)) throw inUse(dir, taker);
      removeIfHeldBy(takeoverPath, taker);
      continue;
    }
    try {
      // Still the same dead (or unreadable) holder: nobody else took it over meanwhile.
      if (holderOf(lockPath) === holder) removeIfHeldBy(lockPath, holder);
    } finally {
      removeIfHeldBy(takeoverPath, process.pid);
    }
  }
  throw new DataFolderInUseError(`could not lock the data folder ${dir}: its lock file ${lockPath} keeps changing`);
};
