import type { BillingMode, DynamoDbSettings } from '../adapters/dynamodb/dynamodb-settings.js';
import { loadAuthConfig, type AuthConfig } from './auth-config.js';
import { loadAuditConfig, type AuditConfig } from './audit-config.js';
import { ConfigError } from './config-error.js';
import { masterKeySettings, type MasterKeySettings } from './master-key-config.js';
import { loadTracingConfig, type TracingConfig } from './tracing-config.js';
import { loadReadModelConfig, type ReadModelSettings } from './read-model-config.js';

export { ConfigError };

export type StoreKind = 'memory' | 'pglite' | 'postgres' | 'dynamodb';

export interface AppConfig {
  readonly store: StoreKind;
  /** PGlite's data folder. */
  readonly dataDir: string;
  readonly databaseUrl: string | null;
  readonly snapshotEvery: number;
  readonly dynamodb: DynamoDbSettings;
  /** How long a consumer's lease lasts: a dead instance's consumers move to another within this. */
  readonly leaseTtlMs: number;
  /** How long an idempotency key's record is kept: a repeat within it returns the first outcome; after it the key is new again. */
  readonly idempotencyRetentionMs: number;
  /** How bearer tokens are verified (a JWKS or the local signing key) and who may read metrics and the API description. */
  readonly auth: AuthConfig;
  /** The audit chain's anchors: where, how often, signed with which key (audit-config.ts, `ANCHOR_*`). */
  readonly audit: AuditConfig;
  /** 'in-process': the service polls the feed for its projections and relay; 'off': something else drives them (a Lambda on DynamoDB Streams). */
  readonly consumers: 'in-process' | 'off';
  /** How often each in-process consumer polls the feed when caught up. */
  readonly pollIntervalMs: number;
  /** Aggregates kept in memory between commands, least recently used out first; 0 turns the cache off. */
  readonly aggregateCacheSize: number;
  /** 'workflow': a placed order is reserved, paid, confirmed and allocated by the order-fulfilment workflow; 'manual': clients drive each step. */
  readonly fulfilment: 'workflow' | 'manual';
  /** How long a placed order waits for its payment before the workflow gives it up. */
  readonly paymentTimeoutMs: number;
  /** The secret gateway webhooks are signed with; null: the simulated gateway and the service share one made up at start. */
  readonly gatewayWebhookSecret: string | null;
  /** How long the simulated gateway takes to answer a `tok_slow...` token. */
  readonly gatewaySlowMs: number;
  /** Where the master key wrapping data subjects' keys comes from: KMS, a configured key, or a file in the data folder (GDPR). */
  readonly masterKey: MasterKeySettings;
  /** Where the ADR's metrics go: CloudWatch Embedded Metric Format lines on stdout, Prometheus at `/metrics`, or both. */
  readonly metrics: MetricsOutput;
  /** Where spans go over OTLP (tracing-config.ts, `OTEL_EXPORTER_OTLP_*`); null: tracing off. */
  readonly tracing: TracingConfig | null;
  /** Where the projections keep their read models: beside the events, or in PostgreSQL beside DynamoDB (read-model-config.ts, `READ_MODELS`). */
  readonly readModels: ReadModelSettings;
}

export type MetricsOutput = 'emf' | 'prometheus' | 'both';

const METRICS_OUTPUTS: readonly MetricsOutput[] = ['emf', 'prometheus', 'both'];

const STORES: readonly StoreKind[] = ['memory', 'pglite', 'postgres', 'dynamodb'];

const BILLING_MODES: Readonly<Record<string, BillingMode>> = { 'on-demand': 'PAY_PER_REQUEST', provisioned: 'PROVISIONED' };

/** The most aggregates the cache may hold: enough for any working set, and a typo of a few zeros is refused. */
const MAX_AGGREGATE_CACHE_SIZE = 10_000_000;

/**
 * Reads `STORE`, `DATA_DIR`, `DATABASE_URL`, `SNAPSHOT_EVERY`, `LEASE_TTL_MS`, `IDEMPOTENCY_RETENTION_MS`, the `AUTH_*` settings (auth-config.ts), `CONSUMERS`, `POLL_INTERVAL_MS`, `AGGREGATE_CACHE_SIZE`, `FULFILMENT`, `PAYMENT_TIMEOUT_MS`,
 * `GATEWAY_WEBHOOK_SECRET`, `GATEWAY_SLOW_MS`, `METRICS` and, for DynamoDB, `DYNAMODB_ENDPOINT`, `AWS_REGION`,
 * `DYNAMODB_TABLE_PREFIX` and `DYNAMODB_BILLING_MODE`; a bad value is refused, never guessed at.
 */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): AppConfig => {
  // PGlite by default: a fresh machine needs no database server, and data survives a restart.
  const store = (overrides.store ?? env.STORE ?? 'pglite') as StoreKind;
  if (!STORES.includes(store)) throw new ConfigError(`STORE must be one of ${STORES.join(', ')}; got ${JSON.stringify(store)}`);
  const snapshotEvery = overrides.snapshotEvery ?? (/^\d+$/.test(env.SNAPSHOT_EVERY ?? '100') ? Number(env.SNAPSHOT_EVERY ?? 100) : Number.NaN);
  if (!Number.isSafeInteger(snapshotEvery) || snapshotEvery < 1) throw new ConfigError(`SNAPSHOT_EVERY must be a positive integer; got ${env.SNAPSHOT_EVERY}`);
  const databaseUrl = overrides.databaseUrl ?? env.DATABASE_URL ?? null;
  if (store === 'postgres' && !databaseUrl) throw new ConfigError('STORE=postgres needs DATABASE_URL, e.g. postgres://user:pass@127.0.0.1:5432/events');
  const leaseTtlMs = overrides.leaseTtlMs ?? (/^\d+$/.test(env.LEASE_TTL_MS ?? '15000') ? Number(env.LEASE_TTL_MS ?? 15_000) : Number.NaN);
  if (!Number.isSafeInteger(leaseTtlMs) || leaseTtlMs < 300) throw new ConfigError(`LEASE_TTL_MS must be a whole number of milliseconds, at least 300; got ${JSON.stringify(env.LEASE_TTL_MS)}`);
  const consumers = overrides.consumers ?? env.CONSUMERS ?? 'in-process';
  if (consumers !== 'in-process' && consumers !== 'off') throw new ConfigError(`CONSUMERS must be in-process or off (a Lambda on the table's stream drives them); got ${JSON.stringify(env.CONSUMERS)}`);
  // DynamoDB Streams serve about five GetRecords a second per shard, shared by every reader: four consumers at one
  // poll a second stay under it. A global log has no such limit.
  const defaultPoll = store === 'dynamodb' ? '1000' : '100';
  const pollIntervalMs = overrides.pollIntervalMs ?? (/^\d+$/.test(env.POLL_INTERVAL_MS ?? defaultPoll) ? Number(env.POLL_INTERVAL_MS ?? defaultPoll) : Number.NaN);
  if (!Number.isSafeInteger(pollIntervalMs) || pollIntervalMs < 10) throw new ConfigError(`POLL_INTERVAL_MS must be a whole number of milliseconds, at least 10; got ${JSON.stringify(env.POLL_INTERVAL_MS)}`);
  const aggregateCacheSize = overrides.aggregateCacheSize ?? (/^\d+$/.test(env.AGGREGATE_CACHE_SIZE ?? '10000') ? Number(env.AGGREGATE_CACHE_SIZE ?? 10_000) : Number.NaN);
  if (!Number.isSafeInteger(aggregateCacheSize) || aggregateCacheSize < 0 || aggregateCacheSize > MAX_AGGREGATE_CACHE_SIZE) {
    throw new ConfigError(`AGGREGATE_CACHE_SIZE must be a whole number of aggregates from 0 (no cache) to ${MAX_AGGREGATE_CACHE_SIZE}; got ${JSON.stringify(env.AGGREGATE_CACHE_SIZE)}`);
  }
  const fulfilment = overrides.fulfilment ?? env.FULFILMENT ?? 'workflow';
  if (fulfilment !== 'workflow' && fulfilment !== 'manual') throw new ConfigError(`FULFILMENT must be workflow or manual; got ${JSON.stringify(env.FULFILMENT)}`);
  const paymentTimeoutMs = overrides.paymentTimeoutMs ?? wholeMs(env, 'PAYMENT_TIMEOUT_MS', 15 * 60_000, 1_000);
  const gatewaySlowMs = overrides.gatewaySlowMs ?? wholeMs(env, 'GATEWAY_SLOW_MS', 5_000, 0);
  const gatewayWebhookSecret = overrides.gatewayWebhookSecret ?? (env.GATEWAY_WEBHOOK_SECRET || null);
  if (gatewayWebhookSecret !== null && gatewayWebhookSecret.length < 16) throw new ConfigError('GATEWAY_WEBHOOK_SECRET must be at least 16 characters: it authenticates payment results');
  const metrics = (overrides.metrics ?? env.METRICS ?? 'prometheus') as MetricsOutput;
  if (!METRICS_OUTPUTS.includes(metrics)) throw new ConfigError(`METRICS must be one of ${METRICS_OUTPUTS.join(', ')}; got ${JSON.stringify(env.METRICS)}`);
  const dataDir = overrides.dataDir ?? env.DATA_DIR ?? './data';
  return {
    store,
    metrics,
    tracing: overrides.tracing === undefined ? loadTracingConfig(env) : overrides.tracing,
    readModels: overrides.readModels ?? loadReadModelConfig(env, store),
    masterKey: overrides.masterKey ?? masterKeySettings(env, dataDir),
    aggregateCacheSize,
    fulfilment,
    paymentTimeoutMs,
    gatewaySlowMs,
    gatewayWebhookSecret,
    consumers,
    pollIntervalMs,
    dataDir,
    databaseUrl,
    snapshotEvery,
    dynamodb: overrides.dynamodb ?? dynamoDbSettings(env),
    leaseTtlMs,
    // A day by default: far longer than any client retries a request; at least a minute, well past a claim's lease.
    idempotencyRetentionMs: overrides.idempotencyRetentionMs ?? wholeMs(env, 'IDEMPOTENCY_RETENTION_MS', 24 * 60 * 60_000, 60_000),
    auth: overrides.auth ?? loadAuthConfig(env, dataDir),
    audit: overrides.audit ?? loadAuditConfig(env, dataDir),
  };
};

const wholeMs = (env: NodeJS.ProcessEnv, name: string, fallback: number, minimum: number): number => {
  const raw = env[name] ?? String(fallback);
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < minimum) throw new ConfigError(`${name} must be a whole number of milliseconds, at least ${minimum}; got ${JSON.stringify(env[name])}`);
  return value;
};

const dynamoDbSettings = (env: NodeJS.ProcessEnv): DynamoDbSettings => {
  const billing = (env.DYNAMODB_BILLING_MODE ?? 'on-demand').toLowerCase();
  const billingMode = BILLING_MODES[billing];
  if (billingMode === undefined) throw new ConfigError(`DYNAMODB_BILLING_MODE must be one of ${Object.keys(BILLING_MODES).join(', ')}; got ${JSON.stringify(env.DYNAMODB_BILLING_MODE)}`);
  const tablePrefix = env.DYNAMODB_TABLE_PREFIX ?? 'dev-';
  if (!/^[a-zA-Z0-9_.-]*$/.test(tablePrefix)) throw new ConfigError(`DYNAMODB_TABLE_PREFIX may hold only a-z, A-Z, 0-9, '_', '-' and '.'; got ${JSON.stringify(tablePrefix)}`);
  return { endpoint: env.DYNAMODB_ENDPOINT || null, region: env.AWS_REGION ?? 'us-east-1', tablePrefix, billingMode };
};
