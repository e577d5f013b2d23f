import { canonicalInstant, deadlineOrder, holdUntil, type Deadline, type DeadlineScheduler, type DeadlineSummary } from '../../application/ports/deadline-scheduler.js';

interface Entry {
  readonly deadline: Deadline;
  /** Canonical ISO instant until which a poller holds it; null when nobody has claimed it yet. */
  readonly heldUntil: string | null;
}

/**
 * Deadlines within one process. Each call runs to its end without yielding, so racing claimers in this
 * process take turns and never share a deadline.
 */
export class InMemoryDeadlineScheduler implements DeadlineScheduler {
  readonly #entries = new Map<string, Entry>();

  async schedule(deadline: Deadline): Promise<void> {
    if (this.#entries.has(deadline.id)) return;
    const { id, workflow, key, since } = deadline;
    const stored: Deadline = { id, workflow, key, dueAt: canonicalInstant(deadline.dueAt), ...(since === undefined ? {} : { since: canonicalInstant(since) }) };
    this.#entries.set(id, { deadline: stored, heldUntil: null });
  }

  async cancel(id: string): Promise<void> {
    this.#entries.delete(id);
  }

  async claimDue(now: string, limit: number, _owner: string, holdMs: number): Promise<readonly Deadline[]> {
    const at = canonicalInstant(now);
    const until = holdUntil(at, holdMs);
    const claimable = [...this.#entries.values()]
      .filter((entry) => entry.deadline.dueAt <= at && (entry.heldUntil === null || entry.heldUntil <= at))
      .map((entry) => entry.deadline)
      .sort(deadlineOrder)
      .slice(0, Math.max(0, limit));
    for (const deadline of claimable) this.#entries.set(deadline.id, { deadline, heldUntil: until });
    return claimable.map((deadline) => ({ ...deadline }));
  }

  async complete(id: string): Promise<void> {
    this.#entries.delete(id);
  }

  async pendingFor(workflow: string, key: string): Promise<readonly Deadline[]> {
    return this.#deadlines((deadline) => deadline.workflow === workflow && deadline.key === key);
  }

  async overdue(now: string, limit: number): Promise<readonly Deadline[]> {
    const at = canonicalInstant(now);
    return this.#deadlines((deadline) => deadline.dueAt < at).slice(0, Math.max(0, limit));
  }

  async summary(workflow: string, now: string): Promise<DeadlineSummary> {
    const at = canonicalInstant(now);
    let pending = 0;
    let overdue = 0;
    let oldestSince: string | null = null;
    for (const { deadline } of this.#entries.values()) {
      if (deadline.workflow !== workflow) continue;
      pending += 1;
      if (deadline.dueAt < at) overdue += 1;
      if (deadline.since !== undefined && (oldestSince === null || deadline.since < oldestSince)) oldestSince = deadline.since;
    }
    return { pending, overdue, oldestSince };
  }

  #deadlines(wanted: (deadline: Deadline) => boolean): Deadline[] {
    return [...this.#entries.values()]
      .map((entry) => entry.deadline)
      .filter(wanted)
      .sort(deadlineOrder)
      .map((deadline) => ({ ...deadline }));
  }
}
