import { createHash } from 'node:crypto';
import { createWriteStream, type Stats } from 'node:fs';
import { access, link, open, rm, stat, unlink } from 'node:fs/promises';
import { once } from 'node:events';
import { pipeline } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip } from 'node:zlib';
import type { ExportFileLine, ExportFileReader, ExportFileWriter } from '../../application/ports/export-file.js';
import type { ExportRecord, ManifestRecord } from '../../application/recovery/export-records.js';
import { RecoveryError } from '../../application/recovery/recovery-error.js';

const exists = async (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * An export as gzip-compressed NDJSON: one JSON record a line, UTF-8, each line ending in a newline. Written to
 * `<path>.partial` and linked to `path` once the manifest is written: a file under the final name is always whole.
 * Refuses to overwrite an existing export, even one created while this one was written (a link, unlike a rename,
 * fails on an existing name).
 */
export const createExportFileWriter = async (path: string): Promise<ExportFileWriter> => {
  if (await exists(path)) throw new RecoveryError('RECOVERY.FILE_EXISTS', `${path} exists already: an export never overwrites one, choose another --out`);
  const partial = `${path}.partial`;
  const gzip = createGzip();
  const done = pipelineAsync(gzip, createWriteStream(partial));
  // A failure of the file surfaces at the next write or at finish; it must not go unhandled meanwhile.
  done.catch(() => undefined);
  const checksum = createHash('sha256');
  const put = async (text: string): Promise<void> => {
    if (!gzip.write(text)) await Promise.race([once(gzip, 'drain'), done]);
  };
  return {
    async write(record: ExportRecord): Promise<void> {
      const text = `${JSON.stringify(record)}\n`;
      checksum.update(text, 'utf8');
      await put(text);
    },
    async finish(manifest: Omit<ManifestRecord, 'sha256'>): Promise<ManifestRecord> {
      const sealed: ManifestRecord = { ...manifest, sha256: checksum.digest('hex') };
      await put(`${JSON.stringify(sealed)}\n`);
      gzip.end();
      await done;
      try {
        await link(partial, path);
      } catch (error) {
        await rm(partial, { force: true });
        if ((error as { code?: unknown }).code === 'EEXIST') throw new RecoveryError('RECOVERY.FILE_EXISTS', `${path} was created while the export was written: an export never overwrites one, choose another --out`);
        throw error;
      }
      await unlink(partial);
      return sealed;
    },
    async abandon(): Promise<void> {
      gzip.destroy();
      await done.catch(() => undefined);
      await rm(partial, { force: true });
    },
  };
};

/** Changes with any write to the file (ctime cannot be set back) and with its replacement (another inode). */
const identityOf = (stats: Stats): string => `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;

const zlibCodes: Readonly<Record<string, 'RECOVERY.TRUNCATED' | 'RECOVERY.NOT_AN_EXPORT'>> = { Z_BUF_ERROR: 'RECOVERY.TRUNCATED', Z_DATA_ERROR: 'RECOVERY.NOT_AN_EXPORT' };

const readFailure = (path: string, error: unknown): RecoveryError => {
  if (error instanceof RecoveryError) return error;
  const code = (error as { code?: unknown }).code;
  const mapped = typeof code === 'string' ? zlibCodes[code] : undefined;
  if (mapped === 'RECOVERY.TRUNCATED') return new RecoveryError(mapped, `${path} ends in the middle of its compressed data: the file was cut short`);
  if (mapped === 'RECOVERY.NOT_AN_EXPORT') return new RecoveryError(mapped, `${path} is not gzip data: ${(error as Error).message}`);
  return new RecoveryError('RECOVERY.FILE_UNREADABLE', `${path} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
};

/** Reads an export written by createExportFileWriter, a line at a time; any number of readings of one file. */
export const openExportFileReader = async (path: string): Promise<ExportFileReader> => {
  let identity: string;
  let size: number;
  try {
    const stats = await stat(path);
    [identity, size] = [identityOf(stats), stats.size];
  } catch (error) {
    throw readFailure(path, error);
  }
  let input: ReturnType<Awaited<ReturnType<typeof open>>['createReadStream']> | null = null;
  return {
    identity,
    progress: () => ({ done: input?.bytesRead ?? 0, total: size }),
    async *lines(): AsyncIterable<ExportFileLine> {
      // The identity is checked on the handle read from: a file replaced after stat() is not read in its place.
      let handle: Awaited<ReturnType<typeof open>>;
      try {
        handle = await open(path);
      } catch (error) {
        throw readFailure(path, error);
      }
      if (identityOf(await handle.stat()) !== identity) {
        await handle.close();
        throw new RecoveryError('RECOVERY.FILE_CHANGED', `${path} changed since it was opened: nothing read from it is used`);
      }
      input = handle.createReadStream();
      const gunzip = createGunzip();
      // The callback form: a failure of the file ends the gunzip stream with it, and the loop below rejects.
      pipeline(input, gunzip, () => undefined);
      const checksum = createHash('sha256');
      const decoder = new StringDecoder('utf8');
      let rest = '';
      let pending: { line: number; text: string } | null = null;
      let line = 0;
      const parse = (at: { line: number; text: string }, checksumBefore: string | null): ExportFileLine => {
        try {
          return { line: at.line, record: JSON.parse(at.text) as unknown, checksumBefore };
        } catch {
          throw new RecoveryError('RECOVERY.MALFORMED_LINE', `line ${at.line} is not JSON: ${at.text.slice(0, 80)}`, { line: at.line });
        }
      };
      try {
        for await (const chunk of gunzip) {
          const texts = (rest + decoder.write(chunk as Buffer)).split('\n');
          rest = texts.pop() ?? '';
          for (const text of texts) {
            line += 1;
            if (pending !== null) {
              checksum.update(`${pending.text}\n`, 'utf8');
              yield parse(pending, null);
            }
            pending = { line, text };
          }
        }
      } catch (error) {
        throw readFailure(path, error);
      } finally {
        input.destroy();
      }
      rest += decoder.end();
      if (rest !== '') {
        line += 1;
        if (pending !== null) {
          checksum.update(`${pending.text}\n`, 'utf8');
          yield parse(pending, null);
        }
        pending = { line, text: rest };
      }
      if (pending !== null) yield parse(pending, checksum.digest('hex'));
    },
  };
};
