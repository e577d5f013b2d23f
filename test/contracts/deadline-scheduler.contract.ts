import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Deadline, DeadlineScheduler } from '../../src/application/ports/deadline-scheduler.js';
import { aDeadline, aTimeWindow } from '../support/deadline-mother.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const ids = (deadlines: readonly Deadline[]): string[] => deadlines.map((deadline) => deadline.id);

/**
 * What every deadline scheduler must do. The store is shared by the file's tests: each test works in a time
 * window of its own (see aTimeWindow) and with workflow instances of its own.
 */
export const deadlineSchedulerContract = (adapter: string, fixture: () => DeadlineScheduler): void => {
  describe(`DeadlineScheduler contract: ${adapter}`, () => {
    it('keeps the first deadline when one id is scheduled twice, its due time unmoved', async () => {
      const deadlines = fixture();
      const time = aTimeWindow();
      const first = aDeadline(time.at(10 * MINUTE));
      await deadlines.schedule(first);
      await deadlines.schedule({ ...first, dueAt: time.at(MINUTE) });
      expect(await deadlines.pendingFor(first.workflow, first.key)).toEqual([first]);
      expect(await deadlines.claimDue(time.at(5 * MINUTE), 10, 'poller-a', MINUTE)).toEqual([]);
      expect(await deadlines.claimDue(time.at(10 * MINUTE), 10, 'poller-a', MINUTE)).toEqual([first]);
    });

    it('hands instants back in the canonical UTC form, whatever form they were scheduled in', async () => {
      const deadlines = fixture();
      const time = aTimeWindow();
      const utc = time.at(2 * 3_600 * SECOND);
      const deadline = aDeadline(`${utc.slice(0, 10)}T04:00:00+02:00`);
      await deadlines.schedule(deadline);
      expect(await deadlines.pendingFor(deadline.workflow, deadline.key)).toEqual([{ ...deadline, dueAt: utc }]);
    });

    it('is not due a millisecond before its time, and is due at exactly its time', async () => {
      const deadlines = fixture();
      const time = aTimeWindow();
      const deadline = aDeadline(time.at(15 * MINUTE));
      await deadlines.schedule(deadline);
      expect(await deadlines.claimDue(time.at(15 * MINUTE - 1), 10, 'poller-a', MINUTE)).toEqual([]);
      expect(await deadlines.claimDue(time.at(15 * MINUTE), 10, 'poller-a', MINUTE)).toEqual([deadline]);
    });

    it('hands out the oldest due deadlines first, no more than asked for', async () => {
      const deadlines = fixture();
      const time = aTimeWindow();
      const byAge = [0, 1, 2, 3, 4].map((minute) => aDeadline(time.at(minute * MINUTE)));
      const notYetDue = aDeadline(time.at(20 * MINUTE));
      for (const index of [3, 0, 4, 1, 2]) await deadlines.schedule(byAge[index] as Deadline);
      await deadlines.schedule(notYetDue);
      expect(await deadlines.claimDue(time.at(10 * MINUTE), 3, 'poller-a', MINUTE)).toEqual(byAge.slice(0, 3));
      expect(await deadlines.claimDue(time.at(10 * MINUTE), 3, 'poller-a', MINUTE)).toEqual(byAge.slice(3));
      expect(await deadlines.claimDue(time.at(10 * MINUTE), 3, 'poller-a', MINUTE)).toEqual([]);
    });

    it('skips a held deadline until its hold runs out, then hands it to another poller', async () => {
      const deadlines = fixture();
      const time = aTimeWindow();
      const deadline = aDeadline(time.at(0));
      await deadlines.schedule(deadline);
      expect(await deadlines.claimDue(time.at(MINUTE), 10, 'poller-a', 30 * SECOND)).toEqual([deadline]);
      expect(await deadlines.claimDue(time.at(MINUTE), 10, 'poller-b', 30 * SECOND)).toEqual([]);
      expect(await deadlines.claimDue(time.at(MINUTE + 30 * SECOND - 1), 10, 'poller-b', 30 * SECOND)).toEqual([]);
      // Poller A died without completing it: its hold ran out, and B takes the deadline over.
      expect(await deadlines.claimDue(time.at(MINUTE + 30 * SECOND), 10, 'poller-b', 30 * SECOND)).toEqual([deadline]);
      expect(await deadlines.claimDue(time.at(MINUTE + 45 * SECOND), 10, 'poller-a', 30 * SECOND)).toEqual([]);
    });

    it('refuses a hold that would not outlast the claim', async () => {
      const deadlines = fixture();
      const time = aTimeWindow();
      await expect(deadlines.claimDue(time.at(0), 10, 'poller-a', 0)).rejects.toThrow(RangeError);
    });

    it('forgets a completed deadline, and completing it again does nothing', async () => {
      const deadlines = fixture();
      const time = aTimeWindow();
      const deadline = aDeadline(time.at(0));
      await deadlines.schedule(deadline);
      await deadlines.claimDue(time.at(0), 10, 'poller-a', MINUTE);
      await deadlines.complete(deadline.id);
      await deadlines.complete(deadline.id);
      await deadlines.complete(`unknown-${randomUUID()}`);
      expect(await deadlines.pendingFor(deadline.workflow, deadline.key)).toEqual([]);
      expect(await deadlines.claimDue(time.at(10 * MINUTE), 10, 'poller-b', MINUTE)).toEqual([]);
      expect(await deadlines.overdue(time.at(10 * MINUTE), 10)).toEqual([]);
    });

    it('forgets a cancelled deadline, and cancelling it again or cancelling an unknown one does nothing', async () => {
      const deadlines = fixture();
      const time = aTimeWindow();
      const cancelled = aDeadline(time.at(0));
      const kept = aDeadline(time.at(MINUTE));
      await deadlines.schedule(cancelled);
      await deadlines.schedule(kept);
      await deadlines.cancel(cancelled.id);
      await deadlines.cancel(cancelled.id);
      await deadlines.cancel(`unknown-${randomUUID()}`);
      expect(await deadlines.pendingFor(cancelled.workflow, cancelled.key)).toEqual([]);
      expect(await deadlines.claimDue(time.at(10 * MINUTE), 10, 'poller-a', MINUTE)).toEqual([kept]);
    });

    it("lists one workflow instance's pending deadlines, held or not, oldest first, and no other's", async () => {
      const deadlines = fixture();
      const time = aTimeWindow();
      const workflow = `fulfilment-${randomUUID()}`;
      const key = `o-${randomUUID()}`;
      const payment = aDeadline(time.at(0), { id: `${workflow}:${key}:payment`, workflow, key });
      const shipping = aDeadline(time.at(2 * MINUTE), { id: `${workflow}:${key}:shipping`, workflow, key });
      const others = [
        aDeadline(time.at(0), { workflow, key: `o-${randomUUID()}` }),
        aDeadline(time.at(0), { workflow: `${workflow}-other`, key }),
        // The same text joined another way: `a#b` + `c` and `a` + `b#c` are different instances.
        aDeadline(time.at(0), { workflow: `${workflow}#${key}`, key: 'x' }),
        aDeadline(time.at(0), { workflow, key: `${key}#x` }),
      ];
      for (const deadline of [shipping, ...others, payment]) await deadlines.schedule(deadline);
      await deadlines.claimDue(time.at(MINUTE), 10, 'poller-a', MINUTE);
      expect(await deadlines.pendingFor(workflow, key)).toEqual([payment, shipping]);
      expect(await deadlines.pendingFor(`${workflow}#${key}`, 'x')).toEqual([others[2]]);
      expect(await deadlines.pendingFor(workflow, `o-${randomUUID()}`)).toEqual([]);
    });

    it('lists deadlines past due, held or not, oldest first, up to a limit', async () => {
      const deadlines = fixture();
      const time = aTimeWindow();
      const held = aDeadline(time.at(0));
      const waiting = aDeadline(time.at(MINUTE));
      const dueNow = aDeadline(time.at(3 * MINUTE));
      const later = aDeadline(time.at(5 * MINUTE));
      for (const deadline of [later, waiting, dueNow, held]) await deadlines.schedule(deadline);
      expect(await deadlines.claimDue(time.at(30 * SECOND), 10, 'poller-a', 10 * MINUTE)).toEqual([held]);
      expect(await deadlines.overdue(time.at(3 * MINUTE), 10)).toEqual([held, waiting]);
      expect(await deadlines.overdue(time.at(3 * MINUTE), 1)).toEqual([held]);
      expect(await deadlines.overdue(time.at(0), 10)).toEqual([]);
    });

    it('keeps when the workflow instance started, in the canonical UTC form, and leaves it out when not given', async () => {
      const deadlines = fixture();
      const time = aTimeWindow();
      const started = time.at(2 * 3_600 * SECOND);
      const withSince = aDeadline(time.at(3 * 3_600 * SECOND), { since: started });
      const offsetForm = aDeadline(time.at(3 * 3_600 * SECOND + MINUTE), { since: `${started.slice(0, 10)}T04:00:00+02:00` });
      const without = aDeadline(time.at(3 * 3_600 * SECOND + 2 * MINUTE));
      for (const deadline of [without, offsetForm, withSince]) await deadlines.schedule(deadline);
      const expected = [withSince, { ...offsetForm, since: started }, without];
      for (const deadline of expected) expect(await deadlines.pendingFor(deadline.workflow, deadline.key)).toEqual([deadline]);
      const overdue = await deadlines.overdue(time.at(4 * 3_600 * SECOND), 10);
      expect(overdue).toEqual(expected);
      const claimed = await deadlines.claimDue(time.at(4 * 3_600 * SECOND), 10, 'poller-a', MINUTE);
      expect(claimed).toEqual(expected);
      for (const listed of [overdue, claimed, await deadlines.pendingFor(without.workflow, without.key)]) {
        expect(listed.find((deadline) => deadline.id === without.id)).not.toHaveProperty('since');
      }
    });

    it("sums up one workflow's pending deadlines: how many, how many overdue, and since when the oldest runs", async () => {
      const deadlines = fixture();
      const time = aTimeWindow();
      const workflow = `summary-${randomUUID()}`;
      const of = (dueAt: string, since?: string): Deadline => aDeadline(dueAt, { workflow, ...(since === undefined ? {} : { since }) });
      const completed = of(time.at(0), time.at(0));
      const cancelled = of(time.at(0), time.at(0));
      const held = of(time.at(MINUTE), time.at(20 * SECOND));
      const waiting = of(time.at(3 * MINUTE), time.at(40 * SECOND));
      const dueNow = of(time.at(5 * MINUTE));
      const later = of(time.at(10 * MINUTE));
      const otherWorkflow = aDeadline(time.at(0), { workflow: `${workflow}-other`, since: time.at(0) });
      for (const deadline of [completed, cancelled, held, waiting, dueNow, later, otherWorkflow]) await deadlines.schedule(deadline);
      await deadlines.complete(completed.id);
      await deadlines.cancel(cancelled.id);
      expect(ids(await deadlines.claimDue(time.at(2 * MINUTE), 10, 'poller-a', 10 * MINUTE))).toEqual(expect.arrayContaining([held.id]));
      // Due before now, held or not; one due at exactly now is not overdue yet.
      expect(await deadlines.summary(workflow, time.at(5 * MINUTE))).toEqual({ pending: 4, overdue: 2, oldestSince: time.at(20 * SECOND) });
      expect(await deadlines.summary(workflow, time.at(0))).toEqual({ pending: 4, overdue: 0, oldestSince: time.at(20 * SECOND) });
      expect(await deadlines.summary(`${workflow}-other`, time.at(5 * MINUTE))).toEqual({ pending: 1, overdue: 1, oldestSince: time.at(0) });
      await deadlines.complete(held.id);
      await deadlines.complete(waiting.id);
      // Those left never said when their instance started.
      expect(await deadlines.summary(workflow, time.at(20 * MINUTE))).toEqual({ pending: 2, overdue: 2, oldestSince: null });
      expect(await deadlines.summary(`unknown-${randomUUID()}`, time.at(20 * MINUTE))).toEqual({ pending: 0, overdue: 0, oldestSince: null });
    });

    it('never hands one deadline to two of many pollers claiming at once', async () => {
      const deadlines = fixture();
      const time = aTimeWindow();
      const due = Array.from({ length: 60 }, (_, index) => aDeadline(time.at(index * SECOND)));
      await Promise.all(due.map((deadline) => deadlines.schedule(deadline)));
      const now = time.at(10 * MINUTE);
      const poll = async (owner: string): Promise<string[]> => {
        const taken: string[] = [];
        for (let batch = await deadlines.claimDue(now, 7, owner, MINUTE); batch.length > 0; batch = await deadlines.claimDue(now, 7, owner, MINUTE)) taken.push(...ids(batch));
        return taken;
      };
      const taken = (await Promise.all(Array.from({ length: 6 }, (_, index) => poll(`poller-${index}`)))).flat();
      expect(taken).toHaveLength(due.length);
      expect(new Set(taken)).toEqual(new Set(ids(due)));
      expect(await deadlines.claimDue(now, 100, 'poller-late', MINUTE)).toEqual([]);
    });
  });
};
