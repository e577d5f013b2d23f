import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';

/** At most this many entries per PutEvents request (API reference, PutEvents: Entries 1-10 items). */
export const MAX_ENTRIES_PER_REQUEST = 10;
/** The request's entries together, counted as entrySize does (User Guide, "Calculating PutEvents event entry size"). */
export const DEFAULT_MAX_REQUEST_BYTES = 256 * 1024;
/** API reference, PutEventsRequestEntry.DetailType. */
export const MAX_DETAIL_TYPE_CHARACTERS = 128;

const utf8Bytes = (text: string | undefined): number => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'));

/**
 * An entry's size as EventBridge counts it against the request limit: Time is 14 bytes when present;
 * Source, DetailType, Detail and each of Resources count their UTF-8 bytes. JSON keys and quotes do not count.
 */
export const entrySize = (entry: PutEventsRequestEntry): number =>
  (entry.Time === undefined ? 0 : 14) +
  utf8Bytes(entry.Source) +
  utf8Bytes(entry.DetailType) +
  utf8Bytes(entry.Detail) +
  (entry.Resources ?? []).reduce((sum, resource) => sum + utf8Bytes(resource), 0);

/** In order, greedily: a new batch starts when the next item would break the entry count or the byte limit. */
export const intoBatches = <T extends { readonly size: number }>(items: readonly T[], maxBytes: number): T[][] => {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (current.length === MAX_ENTRIES_PER_REQUEST || (current.length > 0 && bytes + item.size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
};
