/**
 * Every position up to `drawnUpTo` was drawn by a transaction whose id is below `xid`: the
 * sequence was read first, then `xid` was taken, and appenders take their id before a position.
 */
export interface Horizon {
  readonly drawnUpTo: number;
  readonly xid: bigint;
}

export interface Walk {
  /** How many of the positions a reader may take, from the first. */
  readonly taken: number;
  /** The run of missing positions the reader must not pass yet; null when nothing blocked it. */
  readonly blocked: { readonly from: number; readonly to: number } | null;
}

const KEPT = 16;

/**
 * Global positions come from a sequence and commit out of order, so a reader that sees position
 * p+1 but not p cannot tell whether p is still in flight or was rolled back. A horizon settles it:
 * once a snapshot's xmin (its oldest transaction still running) has reached the horizon's xid,
 * every transaction that may own a position up to `drawnUpTo` has ended, so a position up to there
 * that the snapshot does not show was rolled back and can be passed.
 *
 * Each walk judges with its own snapshot's xmin only: a snapshot taken earlier than another must
 * not use what the later one learnt. Horizons are a cache; losing them only makes readers wait.
 */
export class CommitHorizons {
  #horizons: Horizon[] = [];

  add(horizon: Horizon): void {
    this.#horizons.push(horizon);
    this.#horizons.sort((a, b) => a.drawnUpTo - b.drawnUpTo);
    if (this.#horizons.length > KEPT) this.#horizons.shift();
  }

  /**
   * Whether a horizon this snapshot has not settled yet reaches `position`: drawing another would
   * not help, since a newer one cannot settle sooner.
   */
  pendingReaches(position: number, snapshotXmin: bigint): boolean {
    return this.#horizons.some((horizon) => horizon.drawnUpTo >= position && horizon.xid > snapshotXmin);
  }

  /** Missing positions up to the result are rolled-back holes for a snapshot with this xmin. */
  passableUpTo(snapshotXmin: bigint): number {
    let passable = 0;
    let settled = -1;
    this.#horizons.forEach((horizon, index) => {
      if (horizon.xid <= snapshotXmin && horizon.drawnUpTo >= passable) {
        passable = horizon.drawnUpTo;
        settled = index;
      }
    });
    // Older horizons add nothing for snapshots from now on; keep the settled one for concurrent readers.
    if (settled > 0) this.#horizons = this.#horizons.slice(settled);
    return passable;
  }

  /** How far a reader after `after` may go along `positions` (ascending, all above `after`, seen in one snapshot). */
  walk(after: number, positions: readonly number[], snapshotXmin: bigint): Walk {
    const passable = this.passableUpTo(snapshotXmin);
    let expected = after + 1;
    let taken = 0;
    for (const position of positions) {
      if (position !== expected && position - 1 > passable) return { taken, blocked: { from: expected, to: position - 1 } };
      taken += 1;
      expected = position + 1;
    }
    return { taken, blocked: null };
  }
}
