/**
 * Projection lag per acknowledged event: from the moment its append was acknowledged to the moment a read-model
 * row of its stream reflects its version (a row at version v reflects every event of the stream up to v).
 * A row written before the acknowledgement came back (batched commits) counts as no lag, as in P2.
 */
export class RowLag {
  /** The highest version a reader can see per stream. */
  readonly #visible = new Map<string, number>();
  /** Acknowledged versions not visible yet, per stream, with the moment each was acknowledged. */
  readonly #waiting = new Map<string, { version: number; at: number }[]>();
  readonly #lags: number[] = [];
  #pending = 0;

  /** An append of `streamId` up to `version` was acknowledged at `at` (performance.now()). */
  acknowledged(streamId: string, version: number, at: number): void {
    if ((this.#visible.get(streamId) ?? 0) >= version) {
      this.#lags.push(0);
      return;
    }
    const waiting = this.#waiting.get(streamId);
    if (waiting === undefined) this.#waiting.set(streamId, [{ version, at }]);
    else waiting.push({ version, at });
    this.#pending += 1;
  }

  /** A row of `streamId` at `version` became visible to readers at `at`. */
  visible(streamId: string, version: number, at: number): void {
    if ((this.#visible.get(streamId) ?? 0) < version) this.#visible.set(streamId, version);
    const waiting = this.#waiting.get(streamId);
    if (waiting === undefined) return;
    const still = waiting.filter((ack) => {
      if (ack.version > version) return true;
      this.#lags.push(Math.max(0, at - ack.at));
      this.#pending -= 1;
      return false;
    });
    if (still.length === 0) this.#waiting.delete(streamId);
    else this.#waiting.set(streamId, still);
  }

  /** Acknowledged events no row reflects yet. */
  get pending(): number {
    return this.#pending;
  }

  /** One lag in milliseconds per acknowledged event seen so far. */
  get lags(): readonly number[] {
    return this.#lags;
  }

  /** A few streams still waiting, for a failure message. */
  waitingExamples(count: number): string[] {
    return [...this.#waiting.entries()].slice(0, count).map(([streamId, acks]) => `${streamId} v${acks.map((ack) => ack.version).join(',')} (row at v${this.#visible.get(streamId) ?? 0})`);
  }
}
