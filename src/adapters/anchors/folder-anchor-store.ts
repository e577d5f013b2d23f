import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AnchorExistsError, type AnchorStore, type StoredAnchor } from '../../application/ports/anchor-store.js';

const ANCHOR_NAME = /^checkpoint-[A-Za-z0-9-]+\.json$/;

/**
 * Anchors as files in a folder, each written once (O_EXCL: an existing file is never replaced) and left read-only.
 * Tamper-evident only as far as the folder is out of reach of whoever can write the store: in production, point
 * it at other storage, or use S3 with Object Lock.
 */
export class FolderAnchorStore implements AnchorStore {
  readonly location: string;

  constructor(folder: string) {
    this.location = resolve(folder);
  }

  async write(name: string, body: string): Promise<void> {
    if (!ANCHOR_NAME.test(name)) throw new RangeError(`an anchor's name is checkpoint-<time>-<root>.json, got ${JSON.stringify(name)}`);
    await mkdir(this.location, { recursive: true });
    try {
      await writeFile(join(this.location, name), body, { flag: 'wx', mode: 0o444 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new AnchorExistsError(`anchor ${name} exists in ${this.location}; anchors are never overwritten`);
      throw error;
    }
  }

  async latest(): Promise<StoredAnchor | null> {
    let names: string[];
    try {
      names = (await readdir(this.location)).filter((name) => ANCHOR_NAME.test(name)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const name = names.at(-1);
    return name === undefined ? null : { name, body: await readFile(join(this.location, name), 'utf8') };
  }
}
