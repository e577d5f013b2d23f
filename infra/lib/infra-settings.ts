import { ConfigError } from '../../src/main/config-error.js';

/** The deployment's choices, read from CDK context (`-c key=value`); each has a default that synthesises as is. */
export interface InfraSettings {
  /** Every table's name starts with it (DYNAMODB_TABLE_PREFIX), as `npm run provision` names them. */
  readonly tablePrefix: string;
  /** DYNAMODB_BILLING_MODE's words: provisioned means the ADR's 100 units, scaled up by target tracking. */
  readonly billing: 'on-demand' | 'provisioned';
  /** Provisioned only: the most read or write units auto scaling may set on a table or index. */
  readonly maxCapacity: number;
  readonly eventBusName: string;
  /** EVENT_SOURCE: the `source` of every published event. */
  readonly eventSource: string;
  /** How long the bus archive keeps events for replay; 0 for ever. */
  readonly archiveRetentionDays: number;
  /** ANCHOR_RETENTION_DAYS and the bucket's default COMPLIANCE retention. */
  readonly anchorRetentionDays: number;
  /** The stream mapping's batch size and how often a failing batch is retried before it goes to the failure queue. */
  readonly batchSize: number;
  readonly maxRetryAttempts: number;
  /** The Lambda IteratorAge alarm's threshold. */
  readonly iteratorAgeAlarmMs: number;
  /** Where alarms are mailed, besides the topic; none: the topic alone. */
  readonly alarmEmail: string | null;
  /** The HTTP function's AUTH_JWKS_URL, AUTH_ISSUER and AUTH_AUDIENCE: the identity provider whose tokens the API accepts. */
  readonly auth: HttpAuthSettings | null;
}

export interface HttpAuthSettings {
  readonly jwksUrl: string;
  readonly issuer: string;
  readonly audience: string;
}

export const DEFAULT_SETTINGS: InfraSettings = {
  tablePrefix: 'prod-',
  billing: 'on-demand',
  maxCapacity: 4_000,
  eventBusName: 'es-core-events',
  eventSource: 'es-core',
  archiveRetentionDays: 365,
  // Seven years, as audit-config.ts's default.
  anchorRetentionDays: 2_557,
  batchSize: 100,
  maxRetryAttempts: 10,
  iteratorAgeAlarmMs: 60_000,
  alarmEmail: null,
  auth: null,
};

type Context = (key: string) => unknown;

const text = (context: Context, key: string, fallback: string, pattern: RegExp, accepted: string): string => {
  const raw = context(key);
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !pattern.test(raw)) throw new ConfigError(`context ${key} must be ${accepted}; got ${JSON.stringify(raw)}`);
  return raw;
};

const whole = (context: Context, key: string, fallback: number, minimum: number, maximum: number): number => {
  const raw = context(key);
  if (raw === undefined) return fallback;
  // `-c key=10` arrives as a string, cdk.json's `"key": 10` as a number.
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < minimum || value > maximum) throw new ConfigError(`context ${key} must be a whole number from ${minimum} to ${maximum}; got ${JSON.stringify(raw)}`);
  return value;
};

const AUTH_KEYS = ['authJwksUrl', 'authIssuer', 'authAudience'] as const;

/** All three or none: a JWKS without its issuer and audience would accept another application's tokens. */
const authSettings = (context: Context): HttpAuthSettings | null => {
  const given = AUTH_KEYS.filter((key) => context(key) !== undefined);
  if (given.length === 0) return null;
  if (given.length < AUTH_KEYS.length) throw new ConfigError(`context ${AUTH_KEYS.join(', ')} go together; got only ${given.join(', ')}`);
  const visible = /^[\x21-\x7e]{1,512}$/;
  const jwksUrl = text(context, 'authJwksUrl', '', /^https:\/\/[^\s/?#]+[^\s]*$/, "an https URL of the identity provider's JWKS, e.g. https://login.example.com/.well-known/jwks.json");
  const issuer = text(context, 'authIssuer', '', visible, "the provider's issuer as in its tokens' iss (1 to 512 visible ASCII characters)");
  const audience = text(context, 'authAudience', '', visible, "this API's audience as in its tokens' aud (1 to 512 visible ASCII characters)");
  return { jwksUrl, issuer, audience };
};

/** Reads the settings from a construct's context (`node.tryGetContext`); a bad value is refused, naming the key and what is accepted. */
export const infraSettings = (context: Context): InfraSettings => {
  const billing = text(context, 'billing', DEFAULT_SETTINGS.billing, /^(on-demand|provisioned)$/, 'on-demand or provisioned');
  const email = context('alarmEmail');
  if (email !== undefined && (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email))) throw new ConfigError(`context alarmEmail must be an email address; got ${JSON.stringify(email)}`);
  return {
    tablePrefix: text(context, 'tablePrefix', DEFAULT_SETTINGS.tablePrefix, /^[a-zA-Z0-9_.-]*$/, "a table name prefix of a-z, A-Z, 0-9, '_', '-' and '.'"),
    billing: billing as InfraSettings['billing'],
    maxCapacity: whole(context, 'maxCapacity', DEFAULT_SETTINGS.maxCapacity, 100, 40_000),
    eventBusName: text(context, 'eventBusName', DEFAULT_SETTINGS.eventBusName, /^[A-Za-z0-9._-]{1,256}$/, "an event bus name of A-Z, a-z, 0-9, '.', '_' and '-'"),
    eventSource: text(context, 'eventSource', DEFAULT_SETTINGS.eventSource, /^[A-Za-z0-9._-]{1,256}$/, "an event source of A-Z, a-z, 0-9, '.', '_' and '-'"),
    archiveRetentionDays: whole(context, 'archiveRetentionDays', DEFAULT_SETTINGS.archiveRetentionDays, 0, 36_500),
    anchorRetentionDays: whole(context, 'anchorRetentionDays', DEFAULT_SETTINGS.anchorRetentionDays, 1, 36_500),
    // The limits DynamoDB Streams mappings accept.
    batchSize: whole(context, 'batchSize', DEFAULT_SETTINGS.batchSize, 1, 10_000),
    maxRetryAttempts: whole(context, 'maxRetryAttempts', DEFAULT_SETTINGS.maxRetryAttempts, 0, 10_000),
    iteratorAgeAlarmMs: whole(context, 'iteratorAgeAlarmMs', DEFAULT_SETTINGS.iteratorAgeAlarmMs, 1_000, 86_400_000),
    alarmEmail: email ?? null,
    auth: authSettings(context),
  };
};
