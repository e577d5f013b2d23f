import type { CheckpointStore } from './checkpoint-store.js';
import type { ReadModelCatalog } from './read-models.js';

export interface ProjectionScope {
  readonly catalog: ReadModelCatalog;
  readonly checkpoints: CheckpointStore;
}

/**
 * Read-model writes and the checkpoint that covers them, committed together where the store allows
 * it (one SQL transaction); elsewhere applied as they come, relying on idempotent handlers.
 */
export interface ProjectionTransactions {
  /** Commits what `work` wrote when it resolves; where the store has transactions, nothing of it when it throws. */
  run<T>(work: (scope: ProjectionScope) => Promise<T>): Promise<T>;
}

