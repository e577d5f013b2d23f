import { randomUUID } from 'node:crypto';
import type { Clock, IdGenerator } from '../../application/ports/runtime.js';

export class SystemClock implements Clock {
  now(): string {
    return new Date().toISOString();
  }
}

export class RandomUuids implements IdGenerator {
  next(): string {
    return randomUUID();
  }
}

/** A clock that tells the time it is set to: for specs, replays and tests. */
export class FixedClock implements Clock {
  #now: number;

  constructor(start: string) {
    this.#now = Date.parse(start);
  }

  now(): string {
    return new Date(this.#now).toISOString();
  }

  set(instant: string): void {
    this.#now = Date.parse(instant);
  }

  advance(milliseconds: number): void {
    this.#now += milliseconds;
  }
}
