import type { ExportRecord, ManifestRecord } from '../recovery/export-records.js';

/** An export being written, one record a line, in order. */
export interface ExportFileWriter {
  /** Resolves once the record may be followed by the next (the file is written with back-pressure, never buffered whole). */
  write(record: ExportRecord): Promise<void>;
  /**
   * Writes the manifest as the last line, with `sha256` the SHA-256 of every line before it, and only then gives the
   * file its name: an export cut short never passes for a finished one.
   */
  finish(manifest: Omit<ManifestRecord, 'sha256'>): Promise<ManifestRecord>;
  /** Closes and removes what was written of an export that failed. */
  abandon(): Promise<void>;
}

export interface ExportFileLine {
  /** 1-based. */
  readonly line: number;
  /** The line parsed as JSON; what it holds is for the reader to check. */
  readonly record: unknown;
  /** On the last line only: the SHA-256 of every line before it; null on the others. */
  readonly checksumBefore: string | null;
}

/**
 * An export read back line by line (constant memory). Rejects with a RecoveryError: RECOVERY.FILE_UNREADABLE,
 * RECOVERY.NOT_AN_EXPORT (not gzip), RECOVERY.TRUNCATED (the compressed data ends early), RECOVERY.MALFORMED_LINE.
 */
export interface ExportFileReader {
  /**
   * What the file was when the reader was opened (device, inode, size, modification and change times): two readers
   * with the same identity read the same bytes. lines() rejects with RECOVERY.FILE_CHANGED when the file it opens
   * is no longer this one.
   */
  readonly identity: string;
  lines(): AsyncIterable<ExportFileLine>;
  /** How far the reading has got, in bytes of the file, for progress reports. */
  progress(): { readonly done: number; readonly total: number };
}
