/**
 * EventBridge's rules for a PutEvents request, as the service documents and enforces them. Written apart
 * from the publisher's own size count on purpose: this is the oracle the publisher is tested against.
 *
 * Sources: API reference PutEvents, PutEventsRequestEntry and PutEventsResultEntry; User Guide,
 * "Calculating PutEvents event entry size"; messages as AWS returns them where they are on record
 * (moto and LocalStack tests, GitHub issues), otherwise worded here.
 */

export const MAX_ENTRIES = 10;
export const DEFAULT_MAX_REQUEST_BYTES = 256 * 1024;
const MAX_DETAIL_TYPE_CHARACTERS = 128;
const BUS_NAME_OR_ARN = /^(arn:aws[\w-]*:events:[a-z]{2}-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/)?[.\-_A-Za-z0-9]+$/;
const STRING_FIELDS = ['Source', 'DetailType', 'Detail', 'EventBusName', 'TraceHeader'] as const;

/** A whole-call failure: the HTTP status and the JSON 1.1 error body's `__type` and `message`. */
export class ServiceError {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly message: string,
  ) {}
}

export interface RequestEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly EventBusName?: string;
  readonly Resources?: readonly string[];
  /** Epoch seconds, as the JSON 1.1 protocol sends timestamps. */
  readonly Time?: number;
}

export interface EntryFailure {
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

const validation = (message: string): ServiceError => new ServiceError(400, 'ValidationException', message);
const bytes = (text: string | undefined): number => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'));

/** Time counts 14 bytes when present; Source, DetailType, Detail and each resource their UTF-8 bytes. */
export const requestBytes = (entries: readonly RequestEntry[]): number =>
  entries.reduce(
    (total, entry) =>
      total +
      (entry.Time === undefined ? 0 : 14) +
      bytes(entry.Source) +
      bytes(entry.DetailType) +
      bytes(entry.Detail) +
      (entry.Resources ?? []).reduce((sum, resource) => sum + bytes(resource), 0),
    0,
  );

const shapeProblem = (entry: Record<string, unknown>, index: number): ServiceError | null => {
  for (const field of STRING_FIELDS) {
    if (entry[field] !== undefined && typeof entry[field] !== 'string') {
      return new ServiceError(400, 'SerializationException', `entries.${index + 1}.member.${field} must be a string`);
    }
  }
  if (entry.Time !== undefined && typeof entry.Time !== 'number') return new ServiceError(400, 'SerializationException', `entries.${index + 1}.member.Time must be epoch seconds`);
  if (entry.Resources !== undefined && !(Array.isArray(entry.Resources) && entry.Resources.every((r) => typeof r === 'string'))) {
    return new ServiceError(400, 'SerializationException', `entries.${index + 1}.member.Resources must be a list of strings`);
  }
  const bus = entry.EventBusName;
  if (typeof bus === 'string' && (bus.length > 1600 || !BUS_NAME_OR_ARN.test(bus))) {
    return validation(`1 validation error detected: Value '${bus}' at 'entries.${index + 1}.member.eventBusName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${BUS_NAME_OR_ARN.source}`);
  }
  return null;
};

const complete = (entry: RequestEntry): boolean => Boolean(entry.Source) && Boolean(entry.DetailType) && Boolean(entry.Detail);

/** The request's entries, or why the whole call fails. */
export const validateRequest = (body: unknown, maxRequestBytes: number): RequestEntry[] | ServiceError => {
  const raw = (body as { Entries?: unknown } | null)?.Entries;
  if (raw === undefined || raw === null) return validation("1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null");
  if (!Array.isArray(raw) || raw.some((entry) => typeof entry !== 'object' || entry === null)) return new ServiceError(400, 'SerializationException', 'Entries must be a list of structures');
  if (raw.length < 1) return validation("1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1");
  if (raw.length > MAX_ENTRIES) {
    return validation(`1 validation error detected: Value '[PutEventsRequestEntry]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES}`);
  }
  for (const [index, entry] of raw.entries()) {
    const problem = shapeProblem(entry as Record<string, unknown>, index);
    if (problem) return problem;
  }
  const entries = raw as RequestEntry[];
  if (requestBytes(entries) > maxRequestBytes) return validation('Total size of the entries in the request is over the limit.');
  // Documented: when no entry has all of Detail, DetailType and Source, the entire request fails.
  if (!entries.some(complete)) return validation('Parameter Entries is not valid. Reason: no entry has all of Detail, DetailType and Source.');
  return entries;
};

const required = (field: string): EntryFailure => ({ ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.` });

/** Why EventBridge fails this one entry while it processes the rest, or null when it takes it. */
export const entryFailure = (entry: RequestEntry): EntryFailure | null => {
  if (!entry.Source) return required('Source');
  if (!entry.DetailType) return required('DetailType');
  if (!entry.Detail) return required('Detail');
  if (entry.Source.startsWith('aws.')) return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
  const characters = [...entry.DetailType].length;
  if (characters > MAX_DETAIL_TYPE_CHARACTERS) {
    return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter DetailType is not valid. Reason: DetailType is at most ${MAX_DETAIL_TYPE_CHARACTERS} characters, got ${characters}.` };
  }
  const malformed: EntryFailure = { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  try {
    const detail: unknown = JSON.parse(entry.Detail);
    return typeof detail === 'object' && detail !== null && !Array.isArray(detail) ? null : malformed;
  } catch {
    return malformed;
  }
};

/** The bus an entry goes to: its name, from a name or an ARN; `default` when omitted. */
export const busNameOf = (nameOrArn: string | undefined): string => (nameOrArn === undefined ? 'default' : (nameOrArn.split('event-bus/').at(-1) as string));
