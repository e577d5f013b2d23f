import { MAX_EVENTS_PER_COMMIT } from '../../src/application/ports/event-store.js';
import { aStreamId, events } from '../../test/support/event-mother.js';
import { latencyFigures, timeEach } from '../stats.js';
import { BenchFailure, type Workload, type WorkloadName } from './workload.js';

const READS = 200;

/** 200 whole-stream reads of one stream of `length` events, one at a time; latency percentiles. */
const streamReads = (name: WorkloadName, length: number): Workload => ({
  name,
  run: async ({ store }) => {
    const streamId = aStreamId(`Bench${name}`);
    for (let version = 0; version < length; version += MAX_EVENTS_PER_COMMIT) {
      const appended = await store.append(streamId, events(Math.min(MAX_EVENTS_PER_COMMIT, length - version)), version);
      if (appended.isErr()) throw new BenchFailure(`setting up ${streamId} at version ${version}: ${appended.error.code}: ${appended.error.message}`);
    }
    const durations = await timeEach(READS, async () => {
      const read = await store.readStream(streamId);
      if (read.length !== length) throw new BenchFailure(`reading ${streamId} returned ${read.length} events, expected ${length}`);
    });
    return latencyFigures(durations);
  },
});

export const W3_100 = streamReads('W3-100', 100);
export const W3_1000 = streamReads('W3-1000', 1_000);
