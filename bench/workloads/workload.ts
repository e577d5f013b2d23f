import type { EventStore, GlobalEventLog } from '../../src/application/ports/event-store.js';
import type { CommittedEventFeed } from '../../src/application/ports/committed-event-feed.js';
import type { EventArchive } from '../../src/application/ports/event-archive.js';
import type { CheckpointStore } from '../../src/application/ports/checkpoint-store.js';
import type { LeaseStore } from '../../src/application/ports/lease-store.js';
import type { ProjectionTransactions } from '../../src/application/ports/projection-transactions.js';
import type { ReadModelCatalog } from '../../src/application/ports/read-models.js';
import type { SnapshotStore } from '../../src/application/ports/snapshot-store.js';
import type { AppConfig } from '../../src/main/config.js';

export type WorkloadName = 'W1' | 'W2' | 'W3-100' | 'W3-1000' | 'W4-snapshot' | 'W4-full' | 'P1' | 'P2' | 'H1' | 'F1' | 'ADR';

/** A fresh, empty store with its read side, opened the way the service opens it; `close` releases it. */
export interface ReadSideTarget {
  readonly store: EventStore;
  /** What the projections read: the global log where the store keeps one, the table's stream on DynamoDB. */
  readonly feed: CommittedEventFeed;
  /** Where a rebuild reads from: the log from its start, or a scan of the event table. */
  readonly archive: EventArchive;
  /** Absent on DynamoDB, which keeps no global order. */
  readonly log?: GlobalEventLog;
  /** How often P2's engine polls, where the feed limits it (DynamoDB Streams: the service's 1 s); 20 ms elsewhere. */
  readonly pollIntervalMs?: number;
  readonly checkpoints: CheckpointStore;
  readonly leases: LeaseStore;
  readonly catalog: ReadModelCatalog;
  /** Batches committed with their checkpoint, where the store has transactions. */
  readonly transactions?: ProjectionTransactions;
  close(): Promise<void>;
}

/** The service's configuration for a fresh, empty store; `release` removes what it left behind. */
export interface ServiceTarget {
  readonly config: AppConfig;
  release(): Promise<void>;
}

/** Fresh stores for the read-side and HTTP workloads, which need a log of their own: the W workloads' events are not orders. */
export interface FreshStores {
  readSide(): Promise<ReadSideTarget>;
  service(): Promise<ServiceTarget>;
}

/** An opened adapter: what the workloads run against. */
export interface BenchTarget {
  readonly store: EventStore;
  readonly snapshots: SnapshotStore;
  /** The server behind the adapter, e.g. "PostgreSQL 15.8", where there is one. */
  readonly server?: string;
  /** Absent where the adapter keeps no global log (DynamoDB): there is nothing to project from. */
  readonly fresh?: FreshStores;
  /** A bare-driver floor: it appends and reads streams, nothing else (W1, W2, W3 only). */
  readonly bare?: boolean;
  close(): Promise<void>;
}

export interface Figures {
  readonly eventsPerSecond?: number;
  readonly p50Ms?: number;
  readonly p95Ms?: number;
  readonly p99Ms?: number;
  /** Projection lag: from an append's acknowledgement to the read-model row showing it (ADR). */
  readonly lagP50Ms?: number;
  readonly lagP99Ms?: number;
  readonly lagMaxMs?: number;
  /** Aggregate load time through the repository, p95 (ADR). */
  readonly loadP95Ms?: number;
}

/** One run on fresh streams; throws a BenchFailure when the adapter misbehaves. */
export interface Workload {
  readonly name: WorkloadName;
  run(target: BenchTarget): Promise<Figures>;
}

/** The adapter did something a correct store must not (a refused append, a short read): the figure would be a lie. */
export class BenchFailure extends Error {}

/** The workload does not apply to this adapter (no global log): reported as such, not as a failure. */
export class NotApplicable extends Error {}

/** NotApplicable on a bare-driver floor, which has no snapshots, log or service. */
export const refuseBare = (target: BenchTarget, workload: WorkloadName): void => {
  if (target.bare === true) throw new NotApplicable(`${workload} needs more than bare appends and reads; a floor has only those`);
};

/** The adapter's fresh stores, or NotApplicable naming why the workload cannot run on it. */
export const freshStoresOf = (target: BenchTarget, workload: WorkloadName): FreshStores => {
  refuseBare(target, workload);
  if (target.fresh === undefined) throw new NotApplicable(`${workload} needs a global log, which this adapter does not keep`);
  return target.fresh;
};
