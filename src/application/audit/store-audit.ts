import type { EventEnvelope } from '../events/envelope.js';
import type { AnchorStore, CheckpointSigner } from '../ports/anchor-store.js';
import type { EventArchive } from '../ports/event-archive.js';
import type { EventStore } from '../ports/event-store.js';
import type { Clock } from '../ports/runtime.js';
import type { RebuildProgress } from '../projections/projection-engine.js';
import { anchorName, anchorProblem, signCheckpoint, type SignedAnchor } from './checkpoint.js';
import { ChainWalker, type ChainMismatch } from './chain-walker.js';
import { progressOf } from '../progress.js';

export interface AnchorCheck {
  readonly name: string;
  readonly createdAt: string | null;
  readonly streams: number;
  /** Why the anchor cannot be trusted (a bad signature, another key); null when it holds. */
  readonly problem: string | null;
}

export interface VerificationReport {
  readonly verified: boolean;
  readonly streams: number;
  readonly events: number;
  /** The first event found not to match (in the order the store handed events over). */
  readonly firstMismatch?: ChainMismatch;
  /** How many streams have a mismatch; `mismatches` lists the first 100. */
  readonly mismatchCount: number;
  readonly mismatches: readonly ChainMismatch[];
  /** With --against-anchor: the anchor compared with. */
  readonly anchor?: AnchorCheck;
}

/** The newest anchor as an operator sees it at a glance; `problem` is why it cannot be trusted, null when it holds. */
export interface AnchorSummary {
  readonly name: string;
  readonly createdAt: string | null;
  readonly root: string | null;
  readonly streams: number;
  readonly events: number;
  readonly problem: string | null;
}

export interface AnchorWritten {
  readonly name: string;
  readonly location: string;
  readonly anchor: SignedAnchor;
}

export class NoAnchorError extends Error {
  override readonly name = 'NoAnchorError';
}

/** Refused: anchoring a store whose chains do not verify would sign a tampered state as good. */
export class UnverifiedStoreError extends Error {
  override readonly name = 'UnverifiedStoreError';
  constructor(readonly report: VerificationReport) {
    super(`the store does not verify (${report.mismatchCount} stream(s) with a mismatch, first ${describe(report.firstMismatch)}): no anchor written`);
  }
}

export const describe = (mismatch: ChainMismatch | undefined): string =>
  mismatch === undefined ? 'none' : `${mismatch.streamId} v${mismatch.version} ${mismatch.kind}`;

export interface StoreAuditDeps {
  /** The store as it holds events (sealed): the chain is over what was stored. */
  readonly events: EventStore;
  /** Every stored event, sealed: the global log, or a parallel Scan on DynamoDB. */
  readonly archive: EventArchive;
  readonly anchors: AnchorStore;
  /** Opened on first use: the key file is made only when something is anchored or checked. */
  readonly signer: () => Promise<CheckpointSigner>;
  readonly clock: Clock;
}

type OnProgress = (progress: RebuildProgress) => void;

/**
 * The tamper-evident log's checks (issue 11, SOX): walks one stream or the whole store recomputing every hash,
 * folds the chains' heads into a signed checkpoint written to an anchor outside the store, and compares the
 * store with the newest anchor (truncation, rollback, rewrites after a restore).
 */
export class StoreAudit {
  constructor(private readonly deps: StoreAuditDeps) {}

  async verifyStream(streamId: string): Promise<VerificationReport> {
    const walker = new ChainWalker();
    for (const event of await this.deps.events.readStream(streamId)) walker.visit(event);
    return reportOf(walker);
  }

  async verifyStore(options: { againstAnchor?: boolean; onProgress?: OnProgress } = {}): Promise<VerificationReport> {
    if (!options.againstAnchor) return reportOf(await this.#walk(new ChainWalker(), options.onProgress));
    const stored = await this.#latestAnchor();
    if (stored === null) throw new NoAnchorError(`no anchor in ${this.deps.anchors.location}: write one with \`cli anchor\` first`);
    if (stored.problem !== null) return refusedAnchor(stored.name, stored.problem);
    const { anchor } = stored;
    const walker = await this.#walk(new ChainWalker(new Map(anchor.heads.map((head) => [head.streamId, head.version]))), options.onProgress);
    for (const head of anchor.heads) {
      const at = { streamId: head.streamId, version: head.version };
      const length = walker.versionOf(head.streamId);
      const found = walker.hashAt(head.streamId);
      if (length < head.version) {
        walker.report({
          ...at,
          eventId: null,
          kind: 'truncated',
          expectedHash: head.hash,
          foundHash: null,
          message: length === 0 ? `the stream is missing; the anchor holds it at version ${head.version}` : `the stream ends at version ${length}; the anchor holds it at version ${head.version}`,
        });
      } else if (found !== head.hash) {
        walker.report({ ...at, eventId: null, kind: 'rewritten', expectedHash: head.hash, foundHash: found ?? null, message: `version ${head.version} holds another event than the one anchored: the stream was rolled back and written again` });
      }
    }
    return { ...reportOf(walker), anchor: { name: stored.name, createdAt: anchor.checkpoint.createdAt, streams: anchor.heads.length, problem: null } };
  }

  /** The newest anchor and whether its signature holds, without walking the store: cheap enough for a status screen. */
  async newestAnchor(): Promise<AnchorSummary | null> {
    const stored = await this.#latestAnchor();
    if (stored === null) return null;
    const checkpoint = stored.anchor?.checkpoint;
    return {
      name: stored.name,
      createdAt: checkpoint?.createdAt ?? null,
      root: checkpoint?.root ?? null,
      streams: checkpoint?.streams ?? 0,
      events: checkpoint?.events ?? 0,
      problem: stored.problem,
    };
  }

  /** The newest anchor, parsed, and what is wrong with it (not JSON, signature or root not holding); null when there is none. */
  async #latestAnchor(): Promise<
    { readonly name: string; readonly anchor: SignedAnchor; readonly problem: null } | { readonly name: string; readonly anchor: SignedAnchor | null; readonly problem: string } | null
  > {
    const stored = await this.deps.anchors.latest();
    if (stored === null) return null;
    let anchor: SignedAnchor;
    try {
      anchor = JSON.parse(stored.body) as SignedAnchor;
    } catch {
      return { name: stored.name, anchor: null, problem: 'it is not JSON' };
    }
    const problem = anchorProblem(anchor, await this.deps.signer());
    return problem === null ? { name: stored.name, anchor, problem: null } : { name: stored.name, anchor, problem };
  }

  /** Walks the whole store and, when every chain verifies, writes a signed checkpoint of their heads. */
  async anchor(onProgress?: OnProgress): Promise<AnchorWritten> {
    const walker = await this.#walk(new ChainWalker(), onProgress);
    const report = reportOf(walker);
    if (!report.verified) throw new UnverifiedStoreError(report);
    const anchor = signCheckpoint(walker.heads(), walker.events, this.deps.clock.now(), await this.deps.signer());
    const name = anchorName(anchor);
    await this.deps.anchors.write(name, `${JSON.stringify(anchor, null, 1)}\n`);
    return { name, location: this.deps.anchors.location, anchor };
  }

  async #walk(walker: ChainWalker, onProgress?: OnProgress): Promise<ChainWalker> {
    const total = onProgress ? await this.deps.archive.approximateCount() : 0;
    const progress = progressOf(performance.now());
    await this.deps.archive.scan(async (events: readonly EventEnvelope[]) => {
      for (const event of events) walker.visit(event);
      onProgress?.(progress(walker.events, total));
    });
    return walker;
  }
}

const reportOf = (walker: ChainWalker): VerificationReport => {
  const [first] = walker.mismatches;
  return {
    verified: walker.mismatchCount === 0,
    streams: walker.streams,
    events: walker.events,
    ...(first === undefined ? {} : { firstMismatch: first }),
    mismatchCount: walker.mismatchCount,
    mismatches: walker.mismatches,
  };
};

const refusedAnchor = (name: string, problem: string): VerificationReport => ({
  verified: false,
  streams: 0,
  events: 0,
  mismatchCount: 0,
  mismatches: [],
  anchor: { name, createdAt: null, streams: 0, problem: `the anchor cannot be trusted: ${problem}` },
});
