import { afterAll, describe, expect, it } from 'vitest';
import type { Deadline } from '../../src/application/ports/deadline-scheduler.js';
import { PgDriver } from '../../src/adapters/postgres/pg-driver.js';
import { PostgresDeadlineScheduler } from '../../src/adapters/postgres/postgres-deadline-scheduler.js';
import type { SqlDriver, SqlSession } from '../../src/adapters/postgres/sql-driver.js';
import { aDeadline, aTimeWindow } from '../support/deadline-mother.js';
import { postgresForFile } from '../support/postgres-fixture.js';

const MINUTE = 60_000;
const postgres = postgresForFile();
const drivers: PgDriver[] = [];
afterAll(async () => {
  await Promise.all(drivers.map((driver) => driver.close()));
});

/** Another service instance on the same database: a pool of its own, as a second process would have. */
const anotherInstance = (): PostgresDeadlineScheduler => {
  const driver = new PgDriver({ connectionString: postgres().url, poolSize: 3 });
  drivers.push(driver);
  return new PostgresDeadlineScheduler(driver);
};

class RolledBack extends Error {}

/** A poller whose claim runs in a transaction the test keeps open: the rows it picked stay locked meanwhile. */
const claimInOpenTransaction = async (driver: SqlDriver, claim: (scheduler: PostgresDeadlineScheduler) => Promise<readonly Deadline[]>) => {
  let rollback!: () => void;
  const rolledBack = new Promise<void>((resolve) => (rollback = resolve));
  let claimed!: (deadlines: readonly Deadline[]) => void;
  const taken = new Promise<readonly Deadline[]>((resolve) => (claimed = resolve));
  const finished = driver
    .transaction(async (tx: SqlSession) => {
      claimed(await claim(new PostgresDeadlineScheduler({ ...tx, transaction: (work) => work(tx), close: async () => undefined })));
      await rolledBack;
      throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  return { taken: await taken, rollBack: () => (rollback(), finished) };
};

const within = <T>(ms: number, work: Promise<T>): Promise<T> =>
  Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms: blocked on a locked row?`)), ms).unref())]);

describe('PostgreSQL deadlines with several instances', () => {
  it('never hands one deadline to two instances polling at once', async () => {
    const time = aTimeWindow();
    const due = Array.from({ length: 200 }, (_, index) => aDeadline(time.at(index * 1_000)));
    const [first, second] = [anotherInstance(), anotherInstance()];
    for (const deadline of due) await first.schedule(deadline);
    const now = time.at(10 * MINUTE);
    const poll = async (scheduler: PostgresDeadlineScheduler, owner: string): Promise<string[]> => {
      const taken: string[] = [];
      for (let batch = await scheduler.claimDue(now, 5, owner, MINUTE); batch.length > 0; batch = await scheduler.claimDue(now, 5, owner, MINUTE)) {
        taken.push(...batch.map((deadline) => deadline.id));
      }
      return taken;
    };
    // Both pools connected before the race starts: on a loaded machine one pool's first connection could otherwise take
    // as long as the other's whole run, and a race nobody ran would prove nothing.
    await Promise.all([first.overdue(now, 1), second.overdue(now, 1)]);
    const [byFirst, bySecond] = await Promise.all([poll(first, 'instance-1'), poll(second, 'instance-2')]);
    expect(byFirst.length).toBeGreaterThan(0);
    expect(bySecond.length).toBeGreaterThan(0);
    expect(byFirst.filter((id) => bySecond.includes(id))).toEqual([]);
    expect(new Set([...byFirst, ...bySecond])).toEqual(new Set(due.map((deadline) => deadline.id)));
  });

  it("skips the rows another instance's claim has locked instead of waiting for it, and frees them when that claim rolls back", async () => {
    const time = aTimeWindow();
    const due = [0, 1, 2, 3].map((minute) => aDeadline(time.at(minute * MINUTE)));
    const scheduler = anotherInstance();
    for (const deadline of due) await scheduler.schedule(deadline);
    const now = time.at(10 * MINUTE);
    const inFlight = await claimInOpenTransaction(postgres().adapters.driver, (locked) => locked.claimDue(now, 2, 'instance-1', MINUTE));
    try {
      expect(inFlight.taken).toEqual(due.slice(0, 2));
      expect(await within(5_000, scheduler.claimDue(now, 10, 'instance-2', MINUTE))).toEqual(due.slice(2));
    } finally {
      await inFlight.rollBack();
    }
    // Instance 1 died before its claim committed: no hold was ever written, so the rows are due again at once.
    expect(await scheduler.claimDue(now, 10, 'instance-2', MINUTE)).toEqual(due.slice(0, 2));
  });
});
