import { randomFillSync } from 'node:crypto';

/** Where a minter takes its time and randomness from: the system's by default, fixed ones in tests. */
export interface UuidV7Sources {
  /** Milliseconds since the Unix epoch. */
  readonly now: () => number;
  /** Fills the array with random bytes. */
  readonly random: (bytes: Uint8Array) => void;
}

/** Random bytes drawn from the system a pool at a time: one call into the system per id would cost more than the rest of the id. */
export const pooledRandom = (poolBytes = 4_096): ((bytes: Uint8Array) => void) => {
  const pool = new Uint8Array(poolBytes);
  let used = poolBytes;
  return (bytes) => {
    if (used + bytes.length > poolBytes) {
      randomFillSync(pool);
      used = 0;
    }
    bytes.set(pool.subarray(used, used + bytes.length));
    used += bytes.length;
  };
};

const SYSTEM: UuidV7Sources = { now: Date.now, random: pooledRandom() };
const MAX_TIMESTAMP = 2 ** 48 - 1;
/** rand_a holds a 12-bit counter; a new millisecond starts it at a random value in its lower half, leaving room to count. */
const MAX_COUNTER = 0xfff;
const COUNTER_SEED_RANGE = 0x800;
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * A source of UUIDv7s (RFC 9562): a 48-bit Unix timestamp in milliseconds, the version (7), a 12-bit counter
 * (rand_a, the RFC's "fixed-length dedicated counter", method 1), the variant (0b10) and 62 random bits. Ids from
 * one minter increase strictly in their text order, also within one millisecond and when the clock steps back
 * (the last timestamp is kept until the clock passes it, and a counter that runs out borrows the next
 * millisecond), so that a commit's ids sort as its events do. Across minters they are unique by their
 * 74 random bits per millisecond.
 */
export const uuidV7Minter = (sources: UuidV7Sources = SYSTEM): (() => string) => {
  let lastMs = -1;
  let counter = 0;
  const bytes = new Uint8Array(16);
  const seed = new Uint8Array(2);
  const randomCounter = (): number => {
    sources.random(seed);
    return (((seed[0] as number) << 8) | (seed[1] as number)) % COUNTER_SEED_RANGE;
  };
  return () => {
    const now = Math.floor(sources.now());
    if (!Number.isSafeInteger(now) || now < 0 || now > MAX_TIMESTAMP) throw new RangeError(`a UUIDv7 needs a timestamp of 0 to 2^48-1 ms, got ${now}`);
    if (now > lastMs) {
      lastMs = now;
      counter = randomCounter();
    } else if (counter < MAX_COUNTER) {
      counter += 1;
    } else {
      lastMs += 1;
      counter = randomCounter();
    }
    sources.random(bytes);
    // 48-bit timestamp, big-endian, in bytes 0-5 (two 24-bit halves: bitwise operators work on 32 bits).
    const high = Math.floor(lastMs / 2 ** 24);
    const low = lastMs % 2 ** 24;
    bytes[0] = high >>> 16;
    bytes[1] = (high >>> 8) & 0xff;
    bytes[2] = high & 0xff;
    bytes[3] = low >>> 16;
    bytes[4] = (low >>> 8) & 0xff;
    bytes[5] = low & 0xff;
    bytes[6] = 0x70 | (counter >>> 8);
    bytes[7] = counter & 0xff;
    bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
    let text = '';
    for (let index = 0; index < 16; index += 1) {
      if (index === 4 || index === 6 || index === 8 || index === 10) text += '-';
      text += HEX[bytes[index] as number];
    }
    return text;
  };
};

const mint = uuidV7Minter();

/** `count` new event ids, time-ordered: what a store assigns to one commit's events, once per commit (its retries reuse them). */
export const newEventIds = (count: number): string[] => Array.from({ length: count }, mint);

/** Whether `text` is a UUIDv7 in its canonical lower-case form. */
export const isUuidV7 = (text: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(text);

/** The Unix milliseconds a UUIDv7 carries. */
export const uuidV7Timestamp = (uuid: string): number => Number.parseInt(uuid.slice(0, 8) + uuid.slice(9, 13), 16);
