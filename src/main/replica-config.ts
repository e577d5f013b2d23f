import { ConfigError } from './config-error.js';
import type { StoreKind } from './config.js';

export interface ReplicaConfig {
  /** The PostgreSQL database the continuous replica copies every event (and wrapped data key) into. */
  readonly databaseUrl: string;
}

/**
 * `REPLICA_DATABASE_URL` turns the continuous replica on: with STORE=dynamodb (the production store; PostgreSQL is
 * its disaster-recovery store). Null when unset. A URL that is not PostgreSQL's, or the service's own database, is refused.
 */
export const loadReplicaConfig = (env: NodeJS.ProcessEnv, store: StoreKind): ReplicaConfig | null => {
  const url = env.REPLICA_DATABASE_URL;
  if (url === undefined || url === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('REPLICA_DATABASE_URL must be a PostgreSQL URL, e.g. postgres://user:pass@replica.example:5432/events');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigError(`REPLICA_DATABASE_URL must be a postgres:// or postgresql:// URL; got one with ${parsed.protocol}`);
  }
  if (store !== 'dynamodb') throw new ConfigError(`REPLICA_DATABASE_URL replicates the DynamoDB store to PostgreSQL: it needs STORE=dynamodb; got STORE=${store}`);
  for (const variable of ['DATABASE_URL', 'READ_MODELS_DATABASE_URL'] as const) {
    const own = env[variable];
    if (own !== undefined && own !== '' && sameDatabase(parsed, own)) {
      throw new ConfigError(`REPLICA_DATABASE_URL must name a database of its own: it names the same database as ${variable}; give the replica another database (or server)`);
    }
  }
  return { databaseUrl: url };
};

/** Same server and database, whatever the credentials or options: the replica's tables would mix with the service's. */
const sameDatabase = (replica: URL, other: string): boolean => {
  let parsed: URL;
  try {
    parsed = new URL(other);
  } catch {
    return false; // not a URL: its own loader refuses it, naming its variable
  }
  const port = (url: URL): string => url.port || '5432';
  return parsed.hostname.toLowerCase() === replica.hostname.toLowerCase() && port(parsed) === port(replica) && decodeURIComponent(parsed.pathname) === decodeURIComponent(replica.pathname);
};
