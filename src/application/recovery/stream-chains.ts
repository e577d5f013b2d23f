import { chainHash, GENESIS_HASH, isChainHash } from '../audit/event-chain.js';
import type { EventEnvelope } from '../events/envelope.js';
import type { StreamRecord } from './export-records.js';
import { RecoveryError } from './recovery-error.js';

interface Chain {
  events: number;
  readonly firstVersion: number;
  lastVersion: number;
  lastPosition: number | null;
  headHash: string;
}

/**
 * Each stream's chain as the events of an export pass (each stream in version order, streams interleaved): every
 * event must follow the one before it and hash to its content. In a window with a lower bound a stream may start past
 * version 1, chaining from the hash of a version the export does not hold. One small entry per stream, never the events.
 */
export class StreamChains {
  readonly #chains = new Map<string, Chain>();
  #events = 0;

  /** `fromStart`: the export has no lower bound, so every stream must start at version 1. */
  constructor(private readonly fromStart: boolean) {}

  /** Throws RECOVERY.CHAIN_BROKEN naming the stream and version that does not hold. */
  visit(event: EventEnvelope, line?: number): void {
    const at = { streamId: event.streamId, version: event.version, ...(line === undefined ? {} : { line }) };
    const broken = (message: string): RecoveryError => new RecoveryError('RECOVERY.CHAIN_BROKEN', `${event.streamId} v${event.version}: ${message}`, at);
    if (!isChainHash(event.hash) || !isChainHash(event.previousHash)) throw broken('the event carries no chain hashes (written before the audit chain, or they were removed)');
    const chain = this.#chains.get(event.streamId);
    if (chain === undefined) {
      if (this.fromStart && event.version !== 1) throw broken('the stream starts past version 1 in an export of the whole log: its first events are missing');
      if (event.version === 1 && event.previousHash !== GENESIS_HASH) throw broken('the first event of a stream must chain from the genesis hash');
    } else {
      if (event.version !== chain.lastVersion + 1) throw broken(`version ${chain.lastVersion + 1} was expected after ${chain.lastVersion}: an event is missing, repeated or out of order`);
      if (event.previousHash !== chain.headHash) throw broken(`the event chains from ${event.previousHash}, not from version ${chain.lastVersion}'s hash ${chain.headHash}`);
    }
    if (chainHash(event.previousHash, event) !== event.hash) throw broken('the event does not hash to its hash: it was edited');
    this.#events += 1;
    if (chain === undefined) {
      this.#chains.set(event.streamId, { events: 1, firstVersion: event.version, lastVersion: event.version, lastPosition: event.globalPosition, headHash: event.hash });
    } else {
      chain.events += 1;
      chain.lastVersion = event.version;
      chain.lastPosition = event.globalPosition;
      chain.headHash = event.hash;
    }
  }

  get events(): number {
    return this.#events;
  }

  get streams(): number {
    return this.#chains.size;
  }

  /** Every stream's summary, sorted by stream id (UTF-16 code units), as the manifest lists them. */
  summaries(): StreamRecord[] {
    return [...this.#chains]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([streamId, chain]) => ({ kind: 'stream', streamId, events: chain.events, firstVersion: chain.firstVersion, lastVersion: chain.lastVersion, lastPosition: chain.lastPosition, headHash: chain.headHash }));
  }

  summaryOf(streamId: string): StreamRecord | null {
    const chain = this.#chains.get(streamId);
    return chain === undefined ? null : { kind: 'stream', streamId, ...chain };
  }
}
