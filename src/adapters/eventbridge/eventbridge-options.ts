import { DEFAULT_MAX_REQUEST_BYTES } from './put-events-limits.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../backoff/retry-policy.js';

export interface EventBridgePublisherOptions {
  /** A bus name or ARN. */
  readonly busName: string;
  /** The `source` of every event this service publishes, e.g. `es-core.orders`. */
  readonly source: string;
  readonly region: string;
  /** LocalStack or a test endpoint; the regional AWS endpoint when absent. */
  readonly endpoint?: string;
  /** Static credentials (LocalStack, tests); the SDK's default provider chain when absent. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** The request size limit; AWS's documented 256 KB unless the account's Region allows more. */
  readonly maxRequestBytes?: number;
  readonly retry?: RetryPolicy;
}

export interface PublisherSettings {
  readonly busName: string;
  readonly source: string;
  readonly maxRequestBytes: number;
  readonly retry: RetryPolicy;
}

/** PutEventsRequestEntry.EventBusName: a name or a bus ARN, 1 to 1600 characters (API reference). */
const BUS_NAME = /^(arn:aws[\w-]*:events:[a-z]{2}-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/)?[.\-_A-Za-z0-9]+$/;
const MAX_BUS_NAME = 1600;
/** Source: 1 to 256 characters; the `aws.` prefix is reserved for AWS services. */
const MAX_SOURCE = 256;

const isPositiveInteger = (value: number): boolean => Number.isSafeInteger(value) && value > 0;

/** The settings, or what is wrong with the options and what is accepted instead. */
export const settingsFrom = (options: EventBridgePublisherOptions): PublisherSettings | string => {
  const { busName, source } = options;
  if (typeof busName !== 'string' || busName.length > MAX_BUS_NAME || !BUS_NAME.test(busName)) {
    return `event bus name must be a bus name (letters, digits, . - _) or an event-bus ARN, at most ${MAX_BUS_NAME} characters; got ${JSON.stringify(busName)}`;
  }
  if (typeof source !== 'string' || source.length === 0 || source.length > MAX_SOURCE || source.startsWith('aws.')) {
    return `event source must be 1 to ${MAX_SOURCE} characters and must not start with "aws." (reserved for AWS); got ${JSON.stringify(source)}`;
  }
  if (typeof options.region !== 'string' || options.region === '') return 'region must name an AWS Region, e.g. eu-west-1';
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  if (!isPositiveInteger(maxRequestBytes)) return `maxRequestBytes must be a positive integer; got ${maxRequestBytes}`;
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  if (!isPositiveInteger(retry.maxAttempts) || !(retry.baseDelayMs >= 0) || !(retry.maxDelayMs >= retry.baseDelayMs)) {
    return `retry policy needs maxAttempts >= 1 and 0 <= baseDelayMs <= maxDelayMs; got ${JSON.stringify(retry)}`;
  }
  return { busName, source, maxRequestBytes, retry };
};
