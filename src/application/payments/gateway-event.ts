import { err, ok, type Result } from 'neverthrow';
import { containsBrandedCardNumber, containsCardNumber } from '../../domain/index.js';

export const GATEWAY_EVENT_TYPES = ['payment.succeeded', 'payment.failed'] as const;
export type GatewayEventType = (typeof GATEWAY_EVENT_TYPES)[number];

/** A gateway's answer to a charge, as its webhook body carries it. */
export interface GatewayEvent {
  /** The gateway's own id for this event: the same on every redelivery, so it makes handling it idempotent. */
  readonly id: string;
  readonly type: GatewayEventType;
  readonly paymentId: string;
  readonly transactionId: string;
  readonly reference?: string;
  readonly failureReason?: string;
  /** When the gateway made the event, an ISO 8601 instant. */
  readonly createdAt: string;
  /** The correlation id the charge carried, echoed in the event's `metadata`. */
  readonly correlationId?: string;
}

// The id becomes a causation id and part of an idempotency key: visible ASCII, bounded.
const EVENT_ID = /^[\x21-\x7e]{1,100}$/;
// PostgreSQL's jsonb refuses NUL and unpaired surrogates: refused here, not later as a store failure.
// (With the u flag a surrogate range matches only lone halves; a pair is one code point beyond it.)
const isStorableText = (value: string): boolean => value.trim() !== '' && !value.includes('\u0000') && !/[\uD800-\uDFFF]/u.test(value);
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

type Fields = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The gateway's own ids: transaction ids and references are digit strings of its making, one in ten of which passes
 * the Luhn check by chance. In these fields only a number carrying a card brand's IIN prefix counts as a card number
 * (src/domain/shared/card-number.ts); everywhere else in the body any Luhn-valid number of 13 to 19 digits does.
 */
export const GATEWAY_REFERENCE_FIELDS: readonly string[] = ['$.transactionId', '$.reference'];

const isCardAt = (path: string, text: string): boolean => (GATEWAY_REFERENCE_FIELDS.includes(path) ? containsBrandedCardNumber(text) : containsCardNumber(text));

/** Where in the body a card number stands (keys, strings and numbers alike), as JSON paths; never the value itself. */
const cardNumbersIn = (value: unknown, path: string): string[] => {
  if (typeof value === 'string' || typeof value === 'number') return isCardAt(path, String(value)) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => cardNumbersIn(item, `${path}[${index}]`));
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([key, item]) => [...(containsCardNumber(key) ? [`${path} (a key)`] : []), ...cardNumbersIn(item, `${path}.${key}`)]);
};

const textProblem = (fields: Fields, name: string, maxLength: number, required: boolean): string | null => {
  const value = fields[name];
  if (value === undefined) return required ? `${name} is required` : null;
  if (typeof value !== 'string' || value.length > maxLength || !isStorableText(value)) {
    return `${name} must be non-blank text of at most ${maxLength} characters`;
  }
  return null;
};

const problemsOf = (fields: Fields): string[] => {
  const problems: string[] = [];
  if (typeof fields.id !== 'string' || !EVENT_ID.test(fields.id)) problems.push('id must be 1 to 100 visible ASCII characters');
  if (!GATEWAY_EVENT_TYPES.includes(fields.type as GatewayEventType)) {
    problems.push(`type must be one of ${GATEWAY_EVENT_TYPES.join(', ')}; got ${JSON.stringify(String(fields.type)).slice(0, 60)}`);
  }
  for (const problem of [
    textProblem(fields, 'paymentId', 100, true),
    textProblem(fields, 'transactionId', 200, true),
    textProblem(fields, 'reference', 200, false),
    textProblem(fields, 'failureReason', 500, false),
  ]) {
    if (problem !== null) problems.push(problem);
  }
  const metadata = fields.metadata;
  if (metadata !== undefined && (!isObject(metadata) || textProblem(metadata, 'correlationId', 200, false) !== null)) {
    problems.push('metadata must be an object whose correlationId, when present, is non-blank text of at most 200 characters');
  }
  const createdAt = fields.createdAt;
  if (typeof createdAt !== 'string' || !INSTANT.test(createdAt) || Number.isNaN(Date.parse(createdAt))) {
    problems.push('createdAt must be an ISO 8601 instant');
  }
  return problems;
};

/**
 * The event a webhook body carries, or every problem with it. Fields a gateway adds later are tolerated, but
 * nothing that looks like a card number is accepted anywhere in the body: what is accepted may end up stored.
 */
export const parseGatewayEvent = (rawBody: string): Result<GatewayEvent, readonly string[]> => {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return err(['the body is not JSON']);
  }
  if (!isObject(body)) return err(['the body must be a JSON object']);
  const cards = cardNumbersIn(body, '$');
  if (cards.length > 0) return err(cards.map((path) => `${path} contains what looks like a card number; card numbers are never accepted`));
  const problems = problemsOf(body);
  if (problems.length > 0) return err(problems);
  const fields = body as unknown as GatewayEvent & { metadata?: { correlationId?: string } };
  const correlationId = fields.metadata?.correlationId;
  return ok({
    id: fields.id,
    type: fields.type,
    paymentId: fields.paymentId,
    transactionId: fields.transactionId,
    ...(fields.reference === undefined ? {} : { reference: fields.reference }),
    ...(fields.failureReason === undefined ? {} : { failureReason: fields.failureReason }),
    createdAt: fields.createdAt,
    ...(correlationId === undefined ? {} : { correlationId }),
  });
};
