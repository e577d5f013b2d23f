import { ConfigError } from './config-error.js';
import type { StoreKind } from './config.js';

/**
 * Where the projections keep their read models: in the event store's own database (the default), or in
 * PostgreSQL beside a DynamoDB event store, for reporting in SQL. Not the REPLICA (REPLICA_DATABASE_URL), which
 * copies events; this holds read models only.
 */
export type ReadModelSettings = { readonly kind: 'store' } | { readonly kind: 'postgres'; readonly url: string };

const KINDS = ['store', 'postgres'] as const;

/** `READ_MODELS` (`store` or `postgres`) and, for `postgres`, `READ_MODELS_DATABASE_URL` (else `DATABASE_URL`). */
export const loadReadModelConfig = (env: NodeJS.ProcessEnv, store: StoreKind): ReadModelSettings => {
  const kind = KINDS.find((known) => known === (env.READ_MODELS || 'store'));
  if (kind === undefined) throw new ConfigError(`READ_MODELS must be store (beside the events) or postgres (with STORE=dynamodb); got ${JSON.stringify(env.READ_MODELS)}`);
  if (kind === 'store') return { kind };
  // PostgreSQL and PGlite already keep read models in SQL, in one transaction with their checkpoints; memory keeps nothing.
  if (store !== 'dynamodb') throw new ConfigError(`READ_MODELS=postgres goes with STORE=dynamodb (the ${store} store keeps its read models itself); got STORE=${store}`);
  const url = env.READ_MODELS_DATABASE_URL || env.DATABASE_URL;
  if (!url) throw new ConfigError('READ_MODELS=postgres needs READ_MODELS_DATABASE_URL (or DATABASE_URL), e.g. postgres://user:pass@127.0.0.1:5432/reporting');
  if (!/^postgres(ql)?:\/\//.test(url)) throw new ConfigError(`READ_MODELS_DATABASE_URL must be a postgres:// or postgresql:// URL; got ${JSON.stringify(url.replace(/\/\/[^@/]*@/, '//***@'))}`);
  return { kind, url };
};
