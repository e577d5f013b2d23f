import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { plainItem } from './attribute-values.js';
import { cancellationReasons, isConditionFailure, withRetries } from './sdk-errors.js';

/** Which commit an event id is reserved for: a commit is named by its stream, first version and first event id. */
interface Guard {
  readonly EventId: string;
  readonly Stream: string;
  readonly FirstVersion: number;
  readonly FirstEventId: string;
  /** Where this event goes in the stream. */
  readonly Version: number;
}

export interface CommitPlan {
  readonly streamId: string;
  readonly events: readonly { readonly eventId: string; readonly version: number }[];
}

export interface DuplicateId {
  readonly eventId: string;
  readonly message: string;
}

type Standing = 'ours' | 'stored' | 'pending' | 'orphan';

const ATTRIBUTE_NAMES = { '#s': 'Stream', '#fv': 'FirstVersion', '#fe': 'FirstEventId', '#v': 'Version' };
const sameGuard = (a: Guard, b: Guard): boolean =>
  a.Stream === b.Stream && a.FirstVersion === b.FirstVersion && a.FirstEventId === b.FirstEventId && a.Version === b.Version;

/** `absent`: the id is new; a guard: the id is held by that guard's commit, which can never land, and we take it over. */
type Expectation = 'absent' | Guard;

const conditionFor = (expectation: Expectation) =>
  expectation === 'absent'
    ? { ConditionExpression: 'attribute_not_exists(EventId)' }
    : {
        ConditionExpression: '#s = :s AND #fv = :fv AND #fe = :fe AND #v = :v',
        ExpressionAttributeNames: ATTRIBUTE_NAMES,
        ExpressionAttributeValues: { ':s': expectation.Stream, ':fv': expectation.FirstVersion, ':fe': expectation.FirstEventId, ':v': expectation.Version },
      };

/**
 * Keeps event ids unique across the store. TransactWriteItems holds at most 100 items, so a guard item per
 * event cannot ride in the commit's own transaction once a commit has more than 50 events; instead each id is
 * reserved for its commit first and the commit is written after. A reservation is settled by the event table
 * itself, whose slots are written once and never deleted:
 * - the reserved slot holds the id: the event is stored, and the id is a duplicate for anyone else;
 * - the reserved slot holds another event, or the commit's first slot does: that commit can never land, so the
 *   reservation is an orphan (a conflict, a crash) and the next commit takes the id over;
 * - the commit's first slot is empty: the commit may still land, so the id is refused as pending.
 * A retry of the same commit (same stream, versions and ids) finds its own reservations and goes on.
 */
export class EventIdGuards {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly guardTable: string,
    private readonly eventTable: string,
  ) {}

  /** Reserves every id of the commit, or reports the first that is taken. Nothing is reserved when an id is refused. */
  async reserve(plan: CommitPlan): Promise<DuplicateId | null> {
    const first = plan.events[0];
    if (first === undefined) return null;
    const guards = plan.events.map((event): Guard => ({ EventId: event.eventId, Stream: plan.streamId, FirstVersion: first.version, FirstEventId: first.eventId, Version: event.version }));
    let pending = new Map<Guard, Expectation>(guards.map((guard) => [guard, 'absent']));
    for (let round = 0; pending.size > 0; round += 1) {
      if (round === 10) throw new Error(`event ids of a commit to ${plan.streamId} kept changing hands while being reserved`);
      const taken = await this.#write(pending);
      const next = new Map<Guard, Expectation>();
      for (const [guard, expectation] of pending) {
        if (!taken.has(guard)) {
          if (taken.size > 0) next.set(guard, expectation); // a cancelled transaction wrote nothing: try again
          continue;
        }
        const holder = taken.get(guard) ?? (await this.#guard(guard.EventId));
        if (holder === null) {
          next.set(guard, 'absent');
          continue;
        }
        const standing = await this.#standing(holder, guard);
        if (standing === 'orphan') next.set(guard, holder);
        else if (standing === 'stored') return { eventId: guard.EventId, message: `event id ${guard.EventId} is already stored (${holder.Stream} version ${holder.Version})` };
        else if (standing === 'pending') {
          return { eventId: guard.EventId, message: `event id ${guard.EventId} is reserved by a commit to ${holder.Stream} at version ${holder.FirstVersion} that has not landed` };
        }
      }
      pending = next;
    }
    return null;
  }

  /** Writes the guards, all or none; returns those whose condition failed, with the guard found in their place (null: none found). */
  async #write(pending: ReadonlyMap<Guard, Expectation>): Promise<Map<Guard, Guard | null>> {
    const entries = [...pending];
    return withRetries(async () => {
      const taken = new Map<Guard, Guard | null>();
      try {
        if (entries.length === 1) {
          const [guard, expectation] = entries[0] as [Guard, Expectation];
          await this.doc.send(new PutCommand({ TableName: this.guardTable, Item: guard, ...conditionFor(expectation), ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
        } else {
          await this.doc.send(
            new TransactWriteCommand({
              TransactItems: entries.map(([guard, expectation]) => ({
                Put: { TableName: this.guardTable, Item: guard, ...conditionFor(expectation), ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
              })),
            }),
          );
        }
      } catch (error) {
        if (isConditionFailure(error)) {
          taken.set((entries[0] as [Guard, Expectation])[0], error.Item ? (plainItem(error.Item) as unknown as Guard) : null);
          return taken;
        }
        const reasons = cancellationReasons(error);
        if (reasons === null || !reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) throw error;
        reasons.forEach((reason, index) => {
          const [guard] = entries[index] as [Guard, Expectation];
          if (reason.Code === 'ConditionalCheckFailed') taken.set(guard, reason.Item ? (plainItem(reason.Item) as unknown as Guard) : null);
        });
      }
      return taken;
    });
  }

  async #guard(eventId: string): Promise<Guard | null> {
    const found = await withRetries(() => this.doc.send(new GetCommand({ TableName: this.guardTable, Key: { EventId: eventId }, ConsistentRead: true })));
    return (found.Item as Guard | undefined) ?? null;
  }

  async #standing(holder: Guard, ours: Guard): Promise<Standing> {
    if (sameGuard(holder, ours)) return 'ours';
    const atSlot = await this.#eventIdAt(holder.Stream, holder.Version);
    if (atSlot === holder.EventId) return 'stored';
    if (atSlot !== null) return 'orphan';
    if (holder.FirstVersion === holder.Version) return 'pending';
    return (await this.#eventIdAt(holder.Stream, holder.FirstVersion)) === null ? 'pending' : 'orphan';
  }

  async #eventIdAt(streamId: string, version: number): Promise<string | null> {
    const found = await withRetries(() =>
      this.doc.send(
        new GetCommand({ TableName: this.eventTable, Key: { AggregateId: streamId, Version: version }, ConsistentRead: true, ProjectionExpression: 'EventId' }),
      ),
    );
    return typeof found.Item?.EventId === 'string' ? found.Item.EventId : null;
  }
}
