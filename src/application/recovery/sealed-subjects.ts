import type { EventEnvelope } from '../events/envelope.js';
import { PersonalDataCodec } from '../privacy/personal-data-codec.js';

const collect = (value: unknown, into: Set<string>): void => {
  if (typeof value === 'string') {
    const subject = PersonalDataCodec.subjectOf(value);
    if (subject !== null) into.add(subject);
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) collect(item, into);
  }
};

/** The data subjects whose keys open the event's sealed values: whatever field holds them, data or metadata. */
export const sealedSubjectsOf = (event: Pick<EventEnvelope, 'data' | 'metadata'>): Set<string> => {
  const subjects = new Set<string>();
  collect(event.data, subjects);
  collect(event.metadata, subjects);
  return subjects;
};
