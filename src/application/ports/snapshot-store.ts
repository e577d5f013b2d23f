import type { AggregateSnapshot } from '../../domain/index.js';

export interface StoredSnapshot extends AggregateSnapshot<unknown> {
  readonly streamId: string;
  readonly takenAt: string;
}

export interface SnapshotStore {
  save(snapshot: StoredSnapshot): Promise<void>;
  /** The newest snapshot of the stream, or of at most `maxVersion` when given (temporal queries). */
  latest(streamId: string, maxVersion?: number): Promise<StoredSnapshot | null>;
}
