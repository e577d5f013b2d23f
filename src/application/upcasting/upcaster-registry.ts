import type { EventEnvelope } from '../events/envelope.js';

/**
 * An event written by newer code than this (during a rolling deploy): not poison, only too early for this
 * instance. Consumers retry it with back-off (see transient-failure.ts) until a newer instance takes over.
 */
export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
  readonly transient = true;
}

export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/**
 * Stored events are never rewritten: old schema versions are raised to the current one on read,
 * one step at a time (v1 -> v2 -> v3).
 */
export class UpcasterRegistry {
  readonly #steps = new Map<string, Upcaster>();
  readonly #current = new Map<string, number>();

  /** Registers the step from `fromVersion` to `fromVersion + 1`. */
  register(type: string, fromVersion: number, upcast: Upcaster): this {
    const key = `${type}@${fromVersion}`;
    if (this.#steps.has(key)) throw new Error(`an upcaster for ${type} v${fromVersion} is already registered`);
    this.#steps.set(key, upcast);
    this.#current.set(type, Math.max(this.#current.get(type) ?? 1, fromVersion + 1));
    return this;
  }

  /** The schema version new events of this type are written with. */
  currentVersion(type: string): number {
    return this.#current.get(type) ?? 1;
  }

  upcast(event: EventEnvelope): EventEnvelope {
    const target = this.currentVersion(event.type);
    if (event.schemaVersion > target) {
      throw new SchemaTooNewError(`${event.type} ${event.eventId} has schema version ${event.schemaVersion}, newer than this code knows (${target})`);
    }
    let data = event.data as Record<string, unknown>;
    for (let version = event.schemaVersion; version < target; version += 1) {
      const step = this.#steps.get(`${event.type}@${version}`);
      if (!step) throw new Error(`no upcaster for ${event.type} from v${version} to v${version + 1}`);
      data = step(data);
    }
    return data === event.data ? event : { ...event, data, schemaVersion: target };
  }
}
