import type { EventEnvelope, NewEvent } from '../events/envelope.js';
import { PersonalDataCodec } from './personal-data-codec.js';

type Data = Record<string, unknown>;
type Path = readonly string[];

interface PersonalFields {
  /** Whose data it is: the customer. Null when the event names none (nothing is sealed then). */
  readonly subject: (streamId: string, data: Data) => string | null;
  readonly paths: readonly Path[];
}

const CUSTOMER_STREAM = 'Customer-';
const customerOfStream = (streamId: string): string | null => (streamId.startsWith(CUSTOMER_STREAM) ? streamId.slice(CUSTOMER_STREAM.length) : null);
const PERSONAL: readonly Path[] = [
  ['personal', 'name'],
  ['personal', 'email'],
  ['personal', 'address'],
];

/**
 * Every personal field of every event type (src/domain/*\/*-events.ts), and whose it is. The support agent's name,
 * ids, amounts and the shipping country stay in the clear: they identify nobody on their own and reports need them.
 */
export const PERSONAL_FIELDS: Readonly<Record<string, PersonalFields>> = {
  CustomerRegistered: { subject: customerOfStream, paths: PERSONAL },
  CustomerDetailsChanged: { subject: customerOfStream, paths: PERSONAL },
  SupportInteractionRecorded: { subject: customerOfStream, paths: [['summary']] },
  OrderCreated: {
    subject: (_streamId, data) => (typeof data.customerId === 'string' && data.customerId !== '' ? data.customerId : null),
    paths: [
      ['shippingAddress', 'line1'],
      ['shippingAddress', 'city'],
      ['shippingAddress', 'postalCode'],
    ],
  },
};

/** Snapshot states that hold personal data, and whose: a whole state is sealed as one value. */
export const PERSONAL_STATES: Readonly<Record<string, (aggregateId: string, state: Data) => string | null>> = {
  Customer: (aggregateId) => aggregateId,
  Order: (_aggregateId, state) => (typeof state.customerId === 'string' && state.customerId !== '' ? state.customerId : null),
};

const isObject = (value: unknown): value is Data => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A copy of `data` with the string at `path` replaced (untouched when absent); shares what it does not change. */
const replaceAt = async (data: Data, path: Path, replace: (value: string) => Promise<string>): Promise<Data> => {
  const [head, ...rest] = path as [string, ...string[]];
  const value = data[head];
  if (rest.length === 0) return typeof value === 'string' ? { ...data, [head]: await replace(value) } : data;
  return isObject(value) ? { ...data, [head]: await replaceAt(value, rest, replace) } : data;
};

/** Every sealed string anywhere in `value`, gathered without allocating: most events hold a few or none. */
const sealedIn = (value: unknown, found: Set<string>): void => {
  if (PersonalDataCodec.isSealed(value)) found.add(value);
  else if (Array.isArray(value)) for (const item of value) sealedIn(item, found);
  else if (isObject(value)) for (const key in value) sealedIn(value[key], found);
};

/** `value` with each sealed string replaced by its opening; what holds none is shared, not copied. */
const withOpened = (value: unknown, opened: ReadonlyMap<string, string>): unknown => {
  if (typeof value === 'string') return opened.get(value) ?? value;
  if (Array.isArray(value)) {
    const items = value.map((item) => withOpened(item, opened));
    return items.some((item, index) => item !== value[index]) ? items : value;
  }
  if (!isObject(value)) return value;
  let copy: Data | null = null;
  for (const key in value) {
    const inner = withOpened(value[key], opened);
    if (inner !== value[key]) (copy ??= { ...value })[key] = inner;
  }
  return copy ?? value;
};

/** Every sealed string anywhere in `value` opened: whatever path a field was sealed at, it reads in the clear (or ERASED). */
const openAll = async (value: unknown, codec: PersonalDataCodec): Promise<unknown> => {
  const found = new Set<string>();
  sealedIn(value, found);
  if (found.size === 0) return value;
  const sealed = [...found];
  const opened = await Promise.all(sealed.map((text) => codec.open(text)));
  return withOpened(value, new Map(sealed.map((text, index) => [text, opened[index] as string])));
};

/** The event with its personal fields sealed for their subject; events of other types as they are. */
export const sealEvent = async <E extends NewEvent>(event: E, streamId: string, codec: PersonalDataCodec): Promise<E> => {
  const fields = PERSONAL_FIELDS[event.type];
  if (fields === undefined || !isObject(event.data)) return event;
  const subject = fields.subject(streamId, event.data);
  if (subject === null) return event;
  let data: Data = event.data;
  for (const path of fields.paths) data = await replaceAt(data, path, (value) => codec.seal(subject, value));
  return { ...event, data };
};

/** The event with its sealed fields opened (ERASED where the subject was erased). */
export const openEvent = async (event: EventEnvelope, codec: PersonalDataCodec): Promise<EventEnvelope> => {
  if (PERSONAL_FIELDS[event.type] === undefined) return event;
  return { ...event, data: await openAll(event.data, codec) };
};

export const openEvents = (events: readonly EventEnvelope[], codec: PersonalDataCodec): Promise<EventEnvelope[]> => Promise.all(events.map((event) => openEvent(event, codec)));
