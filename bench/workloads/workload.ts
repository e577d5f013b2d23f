import type { EventStore } from '../../src/application/ports/event-store.js';
import type { SnapshotStore } from '../../src/application/ports/snapshot-store.js';

export type WorkloadName = 'W1' | 'W2' | 'W3-100' | 'W3-1000' | 'W4-snapshot' | 'W4-full';

/** An opened adapter: what the workloads run against. */
export interface BenchTarget {
  readonly store: EventStore;
  readonly snapshots: SnapshotStore;
  /** The server behind the adapter, e.g. "PostgreSQL 15.8", where there is one. */
  readonly server?: string;
  close(): Promise<void>;
}

export interface Figures {
  readonly eventsPerSecond?: number;
  readonly p50Ms?: number;
  readonly p95Ms?: number;
  readonly p99Ms?: number;
}

/** One run on fresh streams; throws a BenchFailure when the adapter misbehaves. */
export interface Workload {
  readonly name: WorkloadName;
  run(target: BenchTarget): Promise<Figures>;
}

/** The adapter did something a correct store must not (a refused append, a short read): the figure would be a lie. */
export class BenchFailure extends Error {}
