import { ERASED } from '../../domain/index.js';
import type { SnapshotStore, StoredSnapshot } from '../ports/snapshot-store.js';
import type { PersonalDataCodec } from './personal-data-codec.js';
import { PERSONAL_STATES } from './personal-fields.js';

interface SealedState {
  readonly sealedState: string;
}

const isSealedState = (state: unknown): state is SealedState => typeof state === 'object' && state !== null && typeof (state as SealedState).sealedState === 'string';

/**
 * Snapshots of aggregates that hold personal data (customers, orders) are sealed whole, as one value, with the
 * subject's key. Once the subject is erased such a snapshot cannot be opened and is not offered: the aggregate is
 * loaded from its events instead, whose personal fields read as ERASED.
 */
export class SealingSnapshotStore implements SnapshotStore {
  constructor(
    private readonly snapshots: SnapshotStore,
    private readonly codec: PersonalDataCodec,
  ) {}

  async save(snapshot: StoredSnapshot): Promise<void> {
    const subjectOf = PERSONAL_STATES[snapshot.aggregateType];
    const subject = subjectOf === undefined ? null : subjectOf(snapshot.aggregateId, snapshot.state as Record<string, unknown>);
    if (subject === null) return this.snapshots.save(snapshot);
    const sealed = await this.codec.seal(subject, JSON.stringify(snapshot.state));
    // An erased subject's state is not worth keeping: the events rebuild it.
    if (sealed === ERASED) return;
    await this.snapshots.save({ ...snapshot, state: { sealedState: sealed } satisfies SealedState });
  }

  async latest(streamId: string, maxVersion?: number): Promise<StoredSnapshot | null> {
    const snapshot = await this.snapshots.latest(streamId, maxVersion);
    if (snapshot === null || !isSealedState(snapshot.state)) return snapshot;
    const opened = await this.codec.open(snapshot.state.sealedState);
    return opened === ERASED ? null : { ...snapshot, state: JSON.parse(opened) as unknown };
  }
}
