import { ContainerModule } from 'inversify';
import { LocalMasterKey } from '../adapters/crypto/local-master-key.js';
import { InMemoryDataKeyStore } from '../adapters/memory/in-memory-data-key-store.js';
import { InMemoryMetrics } from '../adapters/memory/in-memory-metrics.js';
import { SILENT_LOGGER } from '../adapters/logs/silent-logger.js';
import type { DataKeyStore } from '../application/ports/data-key-store.js';
import type { MasterKey } from '../application/ports/master-key.js';
import { OpeningArchive, OpeningFeed } from '../application/privacy/opening-readers.js';
import { PersonalDataCodec } from '../application/privacy/personal-data-codec.js';
import { SealingDeadLetterStore } from '../application/privacy/sealing-dead-letter-store.js';
import { LoggedDeadLetterStore } from '../application/relay/logged-dead-letter-store.js';
import { SealingEventStore } from '../application/privacy/sealing-event-store.js';
import { SealingProjectionTransactions, SealingReadModelCatalog } from '../application/privacy/sealing-read-models.js';
import { SealingSnapshotStore } from '../application/privacy/sealing-snapshot-store.js';
import type { CheckpointStore } from '../application/ports/checkpoint-store.js';
import type { CommittedEventFeed } from '../application/ports/committed-event-feed.js';
import type { DeadLetterStore } from '../application/ports/dead-letter-sink.js';
import type { DeadlineScheduler } from '../application/ports/deadline-scheduler.js';
import type { EventArchive } from '../application/ports/event-archive.js';
import type { EventImport } from '../application/ports/event-import.js';
import type { EventStore } from '../application/ports/event-store.js';
import type { IdempotencyStore } from '../application/ports/idempotency-store.js';
import type { LeaseStore } from '../application/ports/lease-store.js';
import type { ProjectionTransactions } from '../application/ports/projection-transactions.js';
import type { ReadModelCatalog } from '../application/ports/read-models.js';
import type { SnapshotStore } from '../application/ports/snapshot-store.js';
import type { Runtime } from './container.js';
import { TOKENS } from './tokens.js';

/** What an environment (a store technology) provides; the rest of the container is the same everywhere. */
export interface EnvironmentPorts {
  /** The store also takes imports: events carried over from another store as it held them (DR, the replica). */
  readonly eventStore: EventStore & EventImport;
  /** The one source every consumer reads: the global log, or the event table's stream. */
  readonly feed: CommittedEventFeed;
  /** Every stored event, for rebuilds and replays as of a time. */
  readonly archive: EventArchive;
  readonly snapshots: SnapshotStore;
  readonly idempotency: IdempotencyStore;
  readonly checkpoints: CheckpointStore;
  readonly leases: LeaseStore;
  readonly deadLetters: DeadLetterStore;
  /** Workflows' durable deadlines, polled by every instance. */
  readonly deadlines: DeadlineScheduler;
  readonly readModels: ReadModelCatalog;
  /**
   * Data subjects' wrapped data keys and the master key that wraps them (GDPR). Absent only where a test builds a
   * container over adapters it opened: keys then live in memory, under a key of this process's own.
   */
  readonly dataKeys?: DataKeyStore;
  readonly masterKey?: MasterKey;
  /** Where the store can commit read models and checkpoints together; without it they are written event by event. */
  readonly projectionTransactions?: ProjectionTransactions;
  close(): Promise<void>;
}

/**
 * Every reader and writer of events, snapshots and dead letters goes through the personal-data codec: the adapters
 * only ever hold personal fields sealed with their subject's key, and every read path sees them opened (or ERASED).
 */
export const portsModule = (runtime: Runtime, ports: EnvironmentPorts): ContainerModule =>
  new ContainerModule(({ bind }) => {
    const dataKeys = ports.dataKeys ?? new InMemoryDataKeyStore();
    const codec = new PersonalDataCodec(ports.masterKey ?? LocalMasterKey.ephemeral(), dataKeys, runtime.clock);
    bind(TOKENS.DataKeys).toConstantValue(dataKeys);
    bind(TOKENS.PersonalData).toConstantValue(codec);
    bind(TOKENS.SealedEventStore).toConstantValue(ports.eventStore);
    bind(TOKENS.SealedEventArchive).toConstantValue(ports.archive);
    bind(TOKENS.Clock).toConstantValue(runtime.clock);
    bind(TOKENS.Ids).toConstantValue(runtime.ids);
    bind(TOKENS.Metrics).toConstantValue(new InMemoryMetrics());
    bind(TOKENS.Logger).toConstantValue(SILENT_LOGGER);
    bind(TOKENS.EventStore).toConstantValue(new SealingEventStore(ports.eventStore, codec));
    bind(TOKENS.CommittedEventFeed).toConstantValue(new OpeningFeed(ports.feed, codec));
    bind(TOKENS.SealedCommittedEventFeed).toConstantValue(ports.feed);
    bind(TOKENS.EventImport).toConstantValue(ports.eventStore);
    bind(TOKENS.EventArchive).toConstantValue(new OpeningArchive(ports.archive, codec));
    bind(TOKENS.SnapshotStore).toConstantValue(new SealingSnapshotStore(ports.snapshots, codec));
    bind(TOKENS.IdempotencyStore).toConstantValue(ports.idempotency);
    bind(TOKENS.CheckpointStore).toConstantValue(ports.checkpoints);
    bind(TOKENS.LeaseStore).toConstantValue(ports.leases);
    // Resolved when first asked for, so that it writes to the logger an entry point bound (log-output.ts).
    bind(TOKENS.DeadLetterStore).toDynamicValue(({ get }) => new LoggedDeadLetterStore(new SealingDeadLetterStore(ports.deadLetters, codec), get(TOKENS.Logger)));
    bind(TOKENS.DeadlineScheduler).toConstantValue(ports.deadlines);
    bind(TOKENS.ReadModelCatalog).toConstantValue(new SealingReadModelCatalog(ports.readModels, codec));
    if (ports.projectionTransactions) bind(TOKENS.ProjectionTransactions).toConstantValue(new SealingProjectionTransactions(ports.projectionTransactions, codec));
    bind(TOKENS.Closer).toConstantValue(() => ports.close());
  });
