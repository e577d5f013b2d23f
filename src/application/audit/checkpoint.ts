import { createHash } from 'node:crypto';
import { canonicalJson } from '../events/canonical-json.js';
import type { CheckpointSigner } from '../ports/anchor-store.js';
import type { ChainHead } from './chain-walker.js';

export const CHECKPOINT_FORMAT = 'es-core-checkpoint/1';

/** What is signed: the root over every chain's head, and when. */
export interface Checkpoint {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly createdAt: string;
  readonly streams: number;
  readonly events: number;
  /** SHA-256 over the canonical JSON of the heads sorted by stream id. */
  readonly root: string;
  readonly keyId: string;
}

/** An anchor as written: the checkpoint, its signature, and the heads it folds (so a restore can be compared stream by stream). */
export interface SignedAnchor {
  readonly checkpoint: Checkpoint;
  /** Ed25519 over the canonical JSON of `checkpoint`, base64. */
  readonly signature: string;
  readonly heads: readonly ChainHead[];
}

const byStream = (a: ChainHead, b: ChainHead): number => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0);

export const rootOf = (heads: readonly ChainHead[]): string =>
  createHash('sha256')
    .update(canonicalJson([...heads].sort(byStream).map(({ streamId, version, hash }) => ({ streamId, version, hash }))), 'utf8')
    .digest('hex');

const signedBytes = (checkpoint: Checkpoint): Buffer => Buffer.from(canonicalJson(checkpoint), 'utf8');

export const signCheckpoint = (heads: readonly ChainHead[], events: number, createdAt: string, signer: CheckpointSigner): SignedAnchor => {
  const sorted = [...heads].sort(byStream);
  const checkpoint: Checkpoint = { format: CHECKPOINT_FORMAT, createdAt, streams: sorted.length, events, root: rootOf(sorted), keyId: signer.keyId };
  return { checkpoint, signature: Buffer.from(signer.sign(signedBytes(checkpoint))).toString('base64'), heads: sorted };
};

/** Why an anchor cannot be trusted, or null when its signature holds and its heads fold into the signed root. */
export const anchorProblem = (anchor: SignedAnchor, signer: CheckpointSigner): string | null => {
  if (anchor.checkpoint?.format !== CHECKPOINT_FORMAT) return `not a ${CHECKPOINT_FORMAT} anchor`;
  if (anchor.checkpoint.keyId !== signer.keyId) return `signed with key ${anchor.checkpoint.keyId}, not with this service's key ${signer.keyId}`;
  if (!signer.verify(signedBytes(anchor.checkpoint), Buffer.from(anchor.signature ?? '', 'base64'))) return 'the signature does not match the checkpoint';
  if (!Array.isArray(anchor.heads) || rootOf(anchor.heads) !== anchor.checkpoint.root) return "the heads listed do not fold into the signed root";
  return null;
};

/** Names sort by time: the newest anchor is the last name. */
export const anchorName = (anchor: SignedAnchor): string => `checkpoint-${anchor.checkpoint.createdAt.replace(/[:.]/g, '-')}-${anchor.checkpoint.root.slice(0, 16)}.json`;
