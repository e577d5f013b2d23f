export type StoreKind = 'memory' | 'pglite' | 'postgres';

export interface AppConfig {
  readonly store: StoreKind;
  /** PGlite's data folder. */
  readonly dataDir: string;
  readonly databaseUrl: string | null;
  readonly snapshotEvery: number;
}

const STORES: readonly StoreKind[] = ['memory', 'pglite', 'postgres'];

export class ConfigError extends Error {}

/** Reads `STORE`, `DATA_DIR`, `DATABASE_URL` and `SNAPSHOT_EVERY`; a bad value is refused, never guessed at. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): AppConfig => {
  const store = (overrides.store ?? env.STORE ?? 'memory') as StoreKind;
  if (!STORES.includes(store)) throw new ConfigError(`STORE must be one of ${STORES.join(', ')}; got ${JSON.stringify(store)}`);
  const snapshotEvery = overrides.snapshotEvery ?? Number(env.SNAPSHOT_EVERY ?? 100);
  if (!Number.isSafeInteger(snapshotEvery) || snapshotEvery < 1) throw new ConfigError(`SNAPSHOT_EVERY must be a positive integer; got ${env.SNAPSHOT_EVERY}`);
  const databaseUrl = overrides.databaseUrl ?? env.DATABASE_URL ?? null;
  if (store === 'postgres' && !databaseUrl) throw new ConfigError('STORE=postgres needs DATABASE_URL, e.g. postgres://user:pass@127.0.0.1:5432/events');
  return { store, dataDir: overrides.dataDir ?? env.DATA_DIR ?? './data', databaseUrl, snapshotEvery };
};
