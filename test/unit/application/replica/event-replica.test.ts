import { describe, expect, it } from 'vitest';
import { LocalMasterKey } from '../../../../src/adapters/crypto/local-master-key.js';
import { InMemoryDataKeyStore } from '../../../../src/adapters/memory/in-memory-data-key-store.js';
import { InMemoryEventStore } from '../../../../src/adapters/memory/in-memory-event-store.js';
import { InMemoryMetrics } from '../../../../src/adapters/memory/in-memory-metrics.js';
import { InMemoryCheckpointStore } from '../../../../src/adapters/memory/in-memory-stores.js';
import { FixedClock } from '../../../../src/adapters/runtime/system-runtime.js';
import type { EventEnvelope } from '../../../../src/application/events/envelope.js';
import { PersonalDataCodec } from '../../../../src/application/privacy/personal-data-codec.js';
import { EventReplica } from '../../../../src/application/replica/event-replica.js';
import { failureKey } from '../../../../src/application/subscriptions/consumer-keys.js';
import { GlobalLogArchive } from '../../../../src/application/subscriptions/global-log-feed.js';
import { anEvent } from '../../../support/event-mother.js';

describe('the continuous replica', () => {
  it('fills every stream the batch finds a gap in from the source, and copies the keys those earlier events need', async () => {
    const clock = new FixedClock('2026-03-01T09:00:00.000Z');
    const source = new InMemoryEventStore(clock);
    const sourceKeys = new InMemoryDataKeyStore();
    const codec = new PersonalDataCodec(LocalMasterKey.ephemeral(), sourceKeys, clock);
    const name = await codec.seal('c-1', 'Ada');
    (await source.append('Customer-c-1', [anEvent({ type: 'CustomerRegistered', schemaVersion: 1, data: { customerId: 'c-1', personal: { name } } }), anEvent({ type: 'CustomerVerified', schemaVersion: 1, data: {} })], 'no-stream'))._unsafeUnwrap();
    (await source.append('Order-o-1', [anEvent(), anEvent({ type: 'OrderConfirmed' }), anEvent({ type: 'OrderShipped' })], 'no-stream'))._unsafeUnwrap();
    (await source.append('Order-o-2', [anEvent(), anEvent({ type: 'OrderConfirmed' })], 'no-stream'))._unsafeUnwrap();
    const target = new InMemoryEventStore(clock);
    const targetKeys = new InMemoryDataKeyStore();
    const checkpoints = new InMemoryCheckpointStore();
    const replica = new EventReplica({ target, source, sourceArchive: new GlobalLogArchive(source), sourceKeys, targetKeys, checkpoints, metrics: new InMemoryMetrics(), clock });
    const withoutPositions = (events: readonly EventEnvelope[]) => events.map(({ globalPosition: _position, ...rest }) => rest);
    const latest = async (streamId: string): Promise<EventEnvelope> => (await source.readStream(streamId)).at(-1) as EventEnvelope;

    // Started after the feed's retention: the feed hands over only each stream's latest event, three streams with a gap.
    const outcome = await replica.handle([await latest('Customer-c-1'), await latest('Order-o-1'), await latest('Order-o-2')], null);

    expect(outcome).toMatchObject({ status: 'handled', handled: 3 });
    expect(await checkpoints.load(failureKey('replica'))).toBeNull();
    for (const streamId of ['Customer-c-1', 'Order-o-1', 'Order-o-2']) expect(withoutPositions(await target.readStream(streamId))).toEqual(withoutPositions(await source.readStream(streamId)));
    expect((await targetKeys.get('c-1'))?.status).toBe('active');
  });
});
