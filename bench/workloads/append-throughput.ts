import type { NewEvent } from '../../src/application/events/envelope.js';
import type { EventStore } from '../../src/application/ports/event-store.js';
import { aStreamId, events } from '../../test/support/event-mother.js';
import { BenchFailure, type Workload, type WorkloadName } from './workload.js';

const STREAMS = 1_000;
const IN_FLIGHT = 16;

interface AppendPlan {
  readonly streamIds: readonly string[];
  /** Commit i goes to stream i mod STREAMS. */
  readonly commits: readonly (readonly NewEvent[])[];
  readonly eventsPerCommit: number;
}

/**
 * Keeps IN_FLIGHT appends running. Appends to one stream are chained, so each states the exact
 * version its predecessor left: any refusal is the store's fault and aborts the run.
 */
const drive = async (store: EventStore, plan: AppendPlan): Promise<void> => {
  const tails = new Map<string, Promise<unknown>>();
  let next = 0;
  let failure: Error | null = null;
  const worker = async (): Promise<void> => {
    while (failure === null && next < plan.commits.length) {
      const index = next;
      next += 1;
      const streamId = plan.streamIds[index % STREAMS] as string;
      const expected = Math.floor(index / STREAMS) * plan.eventsPerCommit;
      const appended = (tails.get(streamId) ?? Promise.resolve()).then(() => store.append(streamId, plan.commits[index] as NewEvent[], expected));
      tails.set(streamId, appended);
      try {
        const result = await appended;
        if (result.isErr()) failure = new BenchFailure(`append ${index} to ${streamId} at version ${expected} was refused: ${result.error.code}: ${result.error.message}`);
      } catch (error) {
        failure ??= new BenchFailure(`append ${index} to ${streamId} threw: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  if (failure !== null) throw failure;
};

/** `commits` appends of `eventsPerCommit` ~300-byte events over 1,000 new streams, 16 in flight; events per second. */
const appendThroughput = (name: WorkloadName, commits: number, eventsPerCommit: number): Workload => ({
  name,
  run: async ({ store }) => {
    // Built before the clock starts: the figure is the store's, not the event generator's.
    const plan: AppendPlan = {
      streamIds: Array.from({ length: STREAMS }, () => aStreamId(`Bench${name}`)),
      commits: Array.from({ length: commits }, () => events(eventsPerCommit)),
      eventsPerCommit,
    };
    const started = performance.now();
    await drive(store, plan);
    const seconds = (performance.now() - started) / 1_000;
    return { eventsPerSecond: (commits * eventsPerCommit) / seconds };
  },
});

export const W1 = appendThroughput('W1', 20_000, 1);
export const W2 = appendThroughput('W2', 2_000, 10);
