import { describe, expect, it } from 'vitest';
import { loadReplicaConfig } from '../../../src/main/replica-config.js';

describe('REPLICA_DATABASE_URL', () => {
  it('refuses a replica URL that is not PostgreSQL, or a store other than DynamoDB, naming the variable', () => {
    expect(() => loadReplicaConfig({ REPLICA_DATABASE_URL: 'mysql://db/events' }, 'dynamodb')).toThrow(/REPLICA_DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(() => loadReplicaConfig({ REPLICA_DATABASE_URL: 'not a url' }, 'dynamodb')).toThrow(/REPLICA_DATABASE_URL must be a PostgreSQL URL/);
    expect(() => loadReplicaConfig({ REPLICA_DATABASE_URL: 'postgres://db/events' }, 'postgres')).toThrow(/needs STORE=dynamodb/);
    expect(loadReplicaConfig({}, 'dynamodb')).toBeNull();
  });
});
