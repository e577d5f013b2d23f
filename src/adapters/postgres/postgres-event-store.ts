import { err, ok, type Result } from 'neverthrow';
import { claimLost, validateAppend } from '../../application/events/append-rules.js';
import type { EventEnvelope, NewEvent } from '../../application/events/envelope.js';
import { newEventIds } from '../../application/events/event-ids.js';
import { invalidPreviousHash, staleHashConflict } from '../../application/audit/chain-append.js';
import { chainCommit, GENESIS_HASH } from '../../application/audit/event-chain.js';
import type {
  AppendError,
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedVersion,
  GlobalEventLog,
  IdempotencyCompletion,
  StreamReadOptions,
  TypeReadOptions,
} from '../../application/ports/event-store.js';
import type { Clock } from '../../application/ports/runtime.js';
import { importThrough, type ImportCommit, type StoredRange } from '../../application/events/event-import-plan.js';
import type { EventImport, ImportError, ImportOutcome } from '../../application/ports/event-import.js';
import { conflictAt, meaningOf } from './append-errors.js';
import { ExpectedHeads } from './expected-heads.js';
import { CommitBatcher, type BatcherOptions } from './commit-batcher.js';
import { CommitHorizons } from './commit-horizons.js';
import { EVENT_COLUMNS, toEnvelope, type EventRow } from './event-rows.js';
import { SqlError, type SqlDriver, type Statement } from './sql-driver.js';

type AppendOutcome = Result<AppendResult, AppendError>;

interface PendingCommit {
  readonly streamId: string;
  readonly expected: ExpectedVersion;
  /** The version the commit's hashes were computed for. */
  readonly base: number;
  /** The hash of the commit's last event. */
  readonly hash: string;
  /** The commit as es_append reads it, serialised once on arrival. */
  readonly document: string;
  /** The idempotency key the commit completes, if any (es_append_completing then carries the batch). */
  readonly claimKey: string | null;
}

interface AppendRow {
  readonly commit_index: number;
  readonly next_version: number | null;
  readonly last_position: unknown;
  readonly actual_version: number;
}

/** es_append, and in the same transaction the completion of each landed commit's idempotency key (schema v7). */
const APPEND_COMPLETING: Statement = {
  name: 'es_append_completing',
  text: 'SELECT commit_index, next_version, last_position, actual_version FROM es_append_completing($1::jsonb, $2::timestamptz)',
};
/** The actual version es_append_completing reports for a commit whose claim is no longer its owner's. */
const CLAIM_LOST = -1;
const APPEND: Statement = {
  name: 'es_append',
  text: 'SELECT commit_index, next_version, last_position, actual_version FROM es_append($1::jsonb, $2::timestamptz)',
};
/** The version and hash a new commit chains from; a head without a hash predates the chain and counts as the genesis. */
const STREAM_HEAD: Statement = {
  name: 'es_stream_head',
  text: 'SELECT version, hash FROM es_events WHERE stream_id = $1 ORDER BY version DESC LIMIT 1',
};
const STREAM_VERSION: Statement = { name: 'es_stream_version', text: 'SELECT coalesce(max(version), 0) AS version FROM es_events WHERE stream_id = $1' };
const READ_STREAM: Statement = {
  name: 'es_read_stream',
  text: `SELECT ${EVENT_COLUMNS} FROM es_events
         WHERE stream_id = $1 AND version BETWEEN $2 AND $3 AND ($4::timestamptz IS NULL OR occurred_at <= $4::timestamptz)
         ORDER BY version`,
};
const READ_BY_TYPE: Statement = {
  name: 'es_read_by_type',
  text: `SELECT ${EVENT_COLUMNS} FROM es_events
         WHERE type = $1 AND occurred_at >= coalesce($2::timestamptz, '-infinity') AND occurred_at <= coalesce($3::timestamptz, 'infinity')
         ORDER BY es_events.occurred_at, es_events.stream_id, es_events.version LIMIT $4`,
};
const READ_ALL: Statement = {
  name: 'es_read_all',
  text: `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS snapshot_xmin, ${EVENT_COLUMNS} FROM es_events
         WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
};
const POSITIONS_AFTER: Statement = {
  name: 'es_positions_after',
  text: `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS snapshot_xmin,
                ARRAY(SELECT global_position FROM es_events WHERE global_position > $1 ORDER BY global_position LIMIT $2) AS positions`,
};
const LAST_EVENT_UP_TO: Statement = {
  name: 'es_last_event_up_to',
  text: 'SELECT coalesce(max(global_position), 0)::text AS last FROM es_events WHERE global_position <= $1',
};
const READ_RANGES: Statement = {
  name: 'es_read_ranges',
  text: `SELECT ${EVENT_COLUMNS} FROM es_events JOIN unnest($1::text[], $2::integer[], $3::integer[]) AS r(stream, from_version, to_version)
         ON es_events.stream_id = r.stream AND es_events.version BETWEEN r.from_version AND r.to_version
         ORDER BY es_events.stream_id, es_events.version`,
};
const IMPORT: Statement = { name: 'es_import', text: 'SELECT commit_index, landed FROM es_import($1::jsonb)' };
const DRAW_HORIZON: Statement = { name: 'es_draw_horizon', text: 'SELECT drawn_up_to, xid::text AS xid FROM es_draw_horizon()' };

const HEAD_PAGE = 10_000;
const MAX_VERSION = 2_147_483_647;
const versionBound = (version: number): number => Math.min(Math.max(version, 0), MAX_VERSION);

export interface PostgresEventStoreOptions {
  readonly batching?: BatcherOptions;
}

/** How often an 'any' append re-reads a head that racing appends keep moving before it reports the conflict. */
const ANY_ATTEMPTS = 100;

const instant = (value: string, what: string): string => {
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new RangeError(`${what} must be an ISO 8601 instant, got ${JSON.stringify(value)}`);
  return parsed.toISOString();
};

const byStreamThenArrival = (commits: readonly PendingCommit[]): number[] =>
  commits
    .map((_, index) => index)
    .sort((a, b) => {
      const [x, y] = [(commits[a] as PendingCommit).streamId, (commits[b] as PendingCommit).streamId];
      return x < y ? -1 : x > y ? 1 : a - b;
    });

/**
 * The event log in PostgreSQL or PGlite. Appends go through a group-commit batcher to es_append
 * (one round trip per batch); the global log is read gap-free with commit horizons.
 * The driver belongs to whoever opened it: `close` only lets appends in flight finish.
 */
export class PostgresEventStore implements EventStore, GlobalEventLog, EventImport {
  readonly #batcher: CommitBatcher<PendingCommit, AppendOutcome>;
  readonly #horizons = new CommitHorizons();
  /** How far the head walk has got, holes included. */
  #head = 0;
  #lastEvent = 0;
  #headRead = false;
  #inFlight = new Set<Promise<unknown>>();
  /** Heads this process's appends lead to: the next append without a previous hash chains from them without a read. */
  readonly #heads = new ExpectedHeads();

  constructor(
    private readonly db: SqlDriver,
    private readonly clock: Clock,
    options: PostgresEventStoreOptions = {},
  ) {
    this.#batcher = new CommitBatcher((commits) => this.#send(commits), options.batching ?? { concurrency: 2, maxEvents: 1_000 });
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion, options: AppendOptions = {}): Promise<AppendOutcome> {
    const invalid = validateAppend(streamId, events, expected, options) ?? invalidPreviousHash(options);
    if (invalid) return err(invalid);
    let stamped: (NewEvent & { eventId: string })[];
    try {
      const ids = newEventIds(events.length);
      stamped = events.map((event, index) => ({ ...event, eventId: ids[index] as string, occurredAt: instant(event.occurredAt, `event ${index + 1}: occurredAt`) }));
    } catch (error) {
      return err({ code: 'EVENT_STORE.INVALID_APPEND', message: `events must be JSON: ${error instanceof Error ? error.message : String(error)}` });
    }
    if (expected !== 'any') {
      const base = expected === 'no-stream' ? 0 : expected;
      let previousHash = options.previousHash ?? (base === 0 ? GENESIS_HASH : this.#heads.hashAt(streamId, base));
      if (previousHash === undefined) {
        const head = await this.#streamHead(streamId);
        if (head.version !== base) return err(conflictAt(streamId, expected, head.version));
        previousHash = head.hash;
      }
      return this.#submit(streamId, stamped, expected, base, previousHash, options.idempotency);
    }
    // 'any' lands on whatever head it finds: the hashes need that head, so it is read first and the commit sent as
    // expecting exactly it; a racing append moves the head and the commit goes again (the same ids) on the new one.
    for (let attempt = 1; ; attempt += 1) {
      const head = (attempt === 1 ? this.#heads.get(streamId) : undefined) ?? (await this.#streamHead(streamId));
      const outcome = await this.#submit(streamId, stamped, 'any', head.version, head.hash, options.idempotency);
      if (outcome.isOk() || outcome.error.code !== 'EVENT_STORE.CONCURRENCY_CONFLICT' || attempt >= ANY_ATTEMPTS) return outcome;
    }
  }

  async #streamHead(streamId: string): Promise<{ version: number; hash: string }> {
    const [row] = await this.db.query<{ version: number; hash: string | null }>(STREAM_HEAD, [streamId]);
    return { version: Number(row?.version ?? 0), hash: row?.hash ?? GENESIS_HASH };
  }

  async #submit(
    streamId: string,
    events: readonly (NewEvent & { eventId: string })[],
    expected: ExpectedVersion,
    base: number,
    previousHash: string,
    completion?: IdempotencyCompletion,
  ): Promise<AppendOutcome> {
    let document: string;
    let links: ReturnType<typeof chainCommit>;
    try {
      links = chainCommit(streamId, base, previousHash, events);
      document = JSON.stringify({
        streamId,
        expected: base,
        previousHash,
        events: events.map((event, index) => ({ ...event, ...links[index] })),
        ...(completion === undefined ? {} : { idempotency: { ...completion, expiresAt: instant(completion.expiresAt, 'idempotency expiresAt') } }),
      });
    } catch (error) {
      return err({ code: 'EVENT_STORE.INVALID_APPEND', message: `events must be JSON: ${error instanceof Error ? error.message : String(error)}` });
    }
    const head = { version: base + events.length, hash: links.at(-1)?.hash ?? previousHash };
    this.#heads.expect(streamId, base, head);
    const pending = this.#batcher.submit({ streamId, expected, base, hash: head.hash, document, claimKey: completion?.key ?? null }, events.length);
    this.#inFlight.add(pending);
    return pending
      .then((outcome) => {
        if (outcome.isErr()) this.#heads.forget(streamId, head);
        return outcome;
      })
      .finally(() => this.#inFlight.delete(pending));
  }

  importEvents(events: readonly EventEnvelope[]): Promise<Result<ImportOutcome, ImportError>> {
    return importThrough(
      {
        stored: (ranges) => this.#storedRanges(ranges),
        write: (commits) => this.#importCommits(commits),
        // timestamptz keeps microseconds in UTC: an instant written otherwise would read back changed and not verify.
        unrepresentable: (event) => (new Date(event.occurredAt).toISOString() === event.occurredAt ? null : `occurredAt ${event.occurredAt} is not a UTC instant in milliseconds (YYYY-MM-DDTHH:MM:SS.sssZ), which PostgreSQL would store rewritten`),
      },
      events,
    );
  }

  async #storedRanges(ranges: readonly StoredRange[]): Promise<Map<string, EventEnvelope[]>> {
    const rows = await this.db.query<EventRow>(READ_RANGES, [ranges.map((r) => r.streamId), ranges.map((r) => versionBound(r.from)), ranges.map((r) => versionBound(r.to))]);
    const stored = new Map<string, EventEnvelope[]>();
    for (const row of rows) {
      const event = toEnvelope(row);
      const stream = stored.get(event.streamId);
      if (stream === undefined) stored.set(event.streamId, [event]);
      else stream.push(event);
    }
    return stored;
  }

  async #importCommits(commits: readonly ImportCommit[]): Promise<boolean[]> {
    const rows = await this.db.query<{ commit_index: number; landed: boolean }>(IMPORT, [JSON.stringify(commits)]);
    const landed = commits.map(() => false);
    for (const row of rows) landed[Number(row.commit_index)] = row.landed === true;
    return landed;
  }

  async readStream(streamId: string, options: StreamReadOptions = {}): Promise<EventEnvelope[]> {
    const until = options.until === undefined ? null : instant(options.until, 'until');
    const rows = await this.db.query<EventRow>(READ_STREAM, [streamId, versionBound(options.fromVersion ?? 1), versionBound(options.toVersion ?? MAX_VERSION), until]);
    return rows.map(toEnvelope);
  }

  async readByType(type: string, options: TypeReadOptions = {}): Promise<EventEnvelope[]> {
    const from = options.from === undefined ? null : instant(options.from, 'from');
    const to = options.to === undefined ? null : instant(options.to, 'to');
    const rows = await this.db.query<EventRow>(READ_BY_TYPE, [type, from, to, options.limit ?? null]);
    return rows.map(toEnvelope);
  }

  async readAll(after: number, limit: number): Promise<EventEnvelope[]> {
    if (limit <= 0) return [];
    for (let drewHorizon = false; ; drewHorizon = true) {
      const rows = await this.db.query<EventRow & { snapshot_xmin: string }>(READ_ALL, [after, limit]);
      const first = rows[0];
      if (first === undefined) return [];
      const xmin = BigInt(first.snapshot_xmin);
      const { taken, blocked } = this.#horizons.walk(after, rows.map((row) => Number(row.global_position)), xmin);
      if (blocked === null || drewHorizon || this.#horizons.pendingReaches(blocked.to, xmin)) return rows.slice(0, taken).map(toEnvelope);
      // Quiet logs settle at once on the second look; under load the horizon settles for a later read.
      await this.#drawHorizon();
    }
  }

  /** The position of the last event a reader may safely see: never a hole's position, so lag reads 0 once caught up. */
  async headPosition(): Promise<number> {
    // On a quiet log a fresh horizon settles at once, so the first call need not walk the log from the start.
    if (!this.#headRead) await this.#drawHorizon();
    this.#headRead = true;
    let cursor = this.#head;
    for (let drewHorizon = false; ; ) {
      const [page] = await this.db.query<{ snapshot_xmin: string; positions: unknown[] }>(POSITIONS_AFTER, [cursor, HEAD_PAGE]);
      const xmin = BigInt(page?.snapshot_xmin ?? 0);
      const positions = (page?.positions ?? []).map(Number);
      const from = Math.max(cursor, this.#horizons.passableUpTo(xmin));
      const ahead = positions.filter((position) => position > from);
      const { taken, blocked } = this.#horizons.walk(from, ahead, xmin);
      cursor = taken > 0 ? (ahead[taken - 1] as number) : from;
      if (blocked !== null && !drewHorizon && !this.#horizons.pendingReaches(blocked.to, xmin)) {
        await this.#drawHorizon();
        drewHorizon = true;
      } else if (blocked !== null || positions.length < HEAD_PAGE) {
        break;
      }
    }
    this.#head = Math.max(this.#head, cursor);
    // Every position up to the cursor is readable; the head is the last of them that holds an event.
    if (this.#head > this.#lastEvent) {
      const [row] = await this.db.query<{ last: string }>(LAST_EVENT_UP_TO, [this.#head]);
      this.#lastEvent = Math.max(this.#lastEvent, Number(row?.last ?? 0));
    }
    return this.#lastEvent;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
  }

  async #drawHorizon(): Promise<void> {
    const [row] = await this.db.query<{ drawn_up_to: unknown; xid: string }>(DRAW_HORIZON);
    if (row) this.#horizons.add({ drawnUpTo: Number(row.drawn_up_to), xid: BigInt(row.xid) });
  }

  async #send(commits: readonly PendingCommit[]): Promise<PromiseSettledResult<AppendOutcome>[]> {
    const order = byStreamThenArrival(commits);
    try {
      const statement = commits.some((commit) => commit.claimKey !== null) ? APPEND_COMPLETING : APPEND;
      const rows = await this.db.query<AppendRow>(statement, [`[${order.map((i) => (commits[i] as PendingCommit).document).join(',')}]`, this.clock.now()]);
      const outcomes: PromiseSettledResult<AppendOutcome>[] = [];
      for (const row of rows) {
        const index = order[row.commit_index] as number;
        outcomes[index] = { status: 'fulfilled', value: this.#outcomeOf(commits[index] as PendingCommit, row) };
      }
      return outcomes;
    } catch (failure) {
      if (!(failure instanceof SqlError)) throw failure;
      // A batch that failed rolled back as a whole (unless the server went away): learn each commit's own fate.
      if (commits.length > 1 && !failure.isUnavailable) {
        const outcomes: PromiseSettledResult<AppendOutcome>[] = [];
        for (const commit of commits) outcomes.push(...(await this.#send([commit])));
        return outcomes;
      }
      return Promise.allSettled(commits.map((commit) => this.#failed(commit, failure)));
    }
  }

  #outcomeOf(commit: PendingCommit, row: AppendRow): AppendOutcome {
    if (row.next_version === null) {
      const actual = Number(row.actual_version);
      if (actual === CLAIM_LOST && commit.claimKey !== null) return err(claimLost(commit.claimKey));
      if (actual === commit.base && commit.expected !== 'any') return err(staleHashConflict(commit.streamId, commit.expected, actual));
      return err(conflictAt(commit.streamId, commit.expected, actual));
    }
    return ok({ streamId: commit.streamId, nextVersion: Number(row.next_version), lastPosition: Number(row.last_position), hash: commit.hash });
  }

  async #failed(commit: PendingCommit, failure: SqlError): Promise<AppendOutcome> {
    const meaning = meaningOf(failure);
    if (meaning === null) throw failure;
    if (meaning.kind === 'error') return err(meaning.error);
    const [row] = await this.db.query<{ version: number }>(STREAM_VERSION, [commit.streamId]);
    return err(conflictAt(commit.streamId, commit.expected, Number(row?.version ?? 0)));
  }
}
