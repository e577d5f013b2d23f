export type RecoveryErrorCode =
  /** The import file does not exist or cannot be read. */
  | 'RECOVERY.FILE_UNREADABLE'
  /** The export's output file exists already: an export never overwrites one. */
  | 'RECOVERY.FILE_EXISTS'
  /** Not gzip, or gzip whose first line is not an es-core-export/1 header. */
  | 'RECOVERY.NOT_AN_EXPORT'
  /** A line is not JSON, or not a record of the format. */
  | 'RECOVERY.MALFORMED_LINE'
  /** The file ends before its manifest (the export was cut short, or the file was). */
  | 'RECOVERY.TRUNCATED'
  /** A stream's events do not chain: an event edited, removed, reordered or added. */
  | 'RECOVERY.CHAIN_BROKEN'
  /** The manifest's counts, versions or heads differ from the events in the file. */
  | 'RECOVERY.MANIFEST_MISMATCH'
  /** The lines before the manifest do not hash to its checksum. */
  | 'RECOVERY.CHECKSUM_MISMATCH'
  /** The target store holds events and no earlier run of this import: --into-non-empty imports over them. */
  | 'RECOVERY.TARGET_NOT_EMPTY'
  /** The target store refused an event (another event at its version, a gap before a window, a hash it would not take). */
  | 'RECOVERY.IMPORT_REFUSED'
  /** This environment offers no import path. */
  | 'RECOVERY.IMPORT_UNAVAILABLE'
  /** The file changed between the import's verifying and loading passes: nothing unverified is applied. */
  | 'RECOVERY.FILE_CHANGED'
  /** An export window whose --to is not after its --from: it could hold no event. */
  | 'RECOVERY.WINDOW_EMPTY'
  /** The consumers to fast-forward have positions in this store already: --force moves them anyway. */
  | 'RECOVERY.CONSUMERS_HAVE_POSITIONS'
  /** The feed had not delivered the imported events within the wait: the acting consumers were not moved. */
  | 'RECOVERY.FEED_BEHIND';

export interface RecoveryLocation {
  readonly streamId?: string;
  readonly version?: number;
  /** 1-based line of the (uncompressed) file. */
  readonly line?: number;
}

/** A refusal of export or import, with a stable code and where it was found; the operator gets one line. */
export class RecoveryError extends Error {
  override readonly name = 'RecoveryError';

  constructor(
    readonly code: RecoveryErrorCode,
    message: string,
    readonly at: RecoveryLocation = {},
  ) {
    super(`${code}: ${message}`);
  }
}
