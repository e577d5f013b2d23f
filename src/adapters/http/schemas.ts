/**
 * JSON schemas shared by the routes. The `description` of a string schema with a `pattern` is also what a
 * refused value is told it must be (see validation-problems.ts), so it is written to complete "must be ...".
 */

import { MAX_STREAMS_AS_OF } from '../../application/temporal/read-models-as-of.js';
import { currencyCode } from './iso-formats.js';
import { problemRef } from './problem.js';

export const identifier = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$', description: '1 to 100 letters, digits or . _ : -, starting with a letter or digit' } as const;

// PostgreSQL's jsonb refuses NUL and unpaired surrogates: refused here as bad input, not later as a 500.
export const text = (maxLength: number, description = `non-blank text of at most ${maxLength} characters, without NUL or unpaired surrogates`) =>
  ({ type: 'string', minLength: 1, maxLength, pattern: '^(?=[\\s\\S]*\\S)[^\\u0000\\uD800-\\uDFFF]*$', description }) as const;

export const positiveInteger = (maximum: number) => ({ type: 'integer', minimum: 1, maximum }) as const;

export const currency = currencyCode;

/** Money is integer minor units (cents): never a decimal. */
export const minorUnits = { type: 'integer', minimum: 0, maximum: 1_000_000_000_000, description: 'an amount in integer minor units (cents)' } as const;

/** Querystring numbers arrive as text; coercion is off so that a JSON body never turns `true` into 1. */
export const numberText = (pattern: string, description: string) => ({ type: 'string', pattern, description }) as const;

// date-time admits a leap second (23:59:60), which no clock here can read back: refused as bad input, not a 500 later.
export const instant = {
  type: 'string',
  format: 'date-time',
  pattern: '^(?![0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:60)',
  description: 'an ISO 8601 time with a zone, e.g. 2026-03-01T09:00:00Z (no leap second)',
} as const;

export const object = <P extends Record<string, unknown>, R extends readonly (keyof P & string)[]>(properties: P, required: R) =>
  ({ type: 'object', additionalProperties: false, properties, required }) as const;

/** Any JSON object, passed through as it is (event data, metadata, aggregate state). */
export const anyObject = { type: 'object', additionalProperties: true } as const;

/** Every error answer is the one problem shape (problem.ts), referenced rather than repeated. */
export const errorResponse = problemRef;

export const commandOutcome = {
  type: 'object',
  properties: {
    aggregateId: { type: 'string' },
    streamId: { type: 'string' },
    version: { type: 'integer', description: "the aggregate's version after the command" },
    eventTypes: { type: 'array', items: { type: 'string' } },
  },
  required: ['aggregateId', 'streamId', 'version', 'eventTypes'],
} as const;

export const orderSummary = {
  type: 'object',
  properties: {
    orderId: { type: 'string' },
    customerId: { type: 'string' },
    status: { type: 'string' },
    totalAmount: { type: 'integer' },
    currency: { type: 'string' },
    itemCount: { type: 'integer' },
    createdAt: { type: 'string' },
    lastUpdated: { type: 'string' },
    version: { type: 'integer' },
  },
  required: ['orderId', 'customerId', 'status', 'totalAmount', 'currency', 'itemCount', 'createdAt', 'lastUpdated', 'version'],
} as const;

export const inventoryLevel = {
  type: 'object',
  properties: {
    sku: { type: 'string' },
    onHand: { type: 'integer' },
    reserved: { type: 'integer' },
    allocated: { type: 'integer' },
    available: { type: 'integer' },
    version: { type: 'integer' },
    lastUpdated: { type: 'string' },
  },
  required: ['sku', 'onHand', 'reserved', 'allocated', 'available', 'version', 'lastUpdated'],
} as const;

export const supportHistoryEntry = {
  type: 'object',
  properties: {
    customerId: { type: 'string' },
    eventId: { type: 'string' },
    at: { type: 'string' },
    kind: { type: 'string', enum: ['ORDER', 'PAYMENT', 'CONTACT', 'ACCOUNT'] },
    eventType: { type: 'string' },
    streamId: { type: 'string' },
    summary: { type: 'string' },
  },
  required: ['customerId', 'eventId', 'at', 'kind', 'eventType', 'streamId', 'summary'],
} as const;

export const eventEnvelope = {
  type: 'object',
  properties: {
    eventId: { type: 'string' },
    streamId: { type: 'string' },
    version: { type: 'integer' },
    type: { type: 'string' },
    schemaVersion: { type: 'integer' },
    data: anyObject,
    metadata: anyObject,
    occurredAt: { type: 'string' },
    recordedAt: { type: 'string' },
    globalPosition: { type: ['integer', 'null'] },
    previousHash: { type: 'string', description: "the audit chain: the predecessor's hash (zeros for version 1), hex" },
    hash: { type: 'string', description: 'SHA-256 of previousHash and the canonical bytes of this event, hex' },
    storedSchemaVersion: { type: 'integer', description: 'the schema version stored, where the event was upcast' },
  },
  required: ['eventId', 'streamId', 'version', 'type', 'schemaVersion', 'data', 'metadata', 'occurredAt', 'recordedAt', 'globalPosition'],
} as const;

export const asOfQuery = object(
  {
    asOf: {
      ...instant,
      description: `${instant.description}: the read model as it stood then, rebuilt by replaying up to then only the streams the answer needs, at most ${MAX_STREAMS_AS_OF}; more is refused with 422 READ_MODEL.AS_OF_TOO_BROAD`,
    },
  },
  [],
);

/** An `instant` as the stores compare it: UTC with milliseconds (text comparison needs one form). */
export const toInstant = (value: string): string => new Date(value).toISOString();
