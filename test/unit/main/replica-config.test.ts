import { describe, expect, it } from 'vitest';
import { loadReplicaConfig } from '../../../src/main/replica-config.js';

describe('REPLICA_DATABASE_URL', () => {
  it('refuses a replica URL that is not PostgreSQL, or a store other than DynamoDB, naming the variable', () => {
    expect(() => loadReplicaConfig({ REPLICA_DATABASE_URL: 'mysql://db/events' }, 'dynamodb')).toThrow(/REPLICA_DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(() => loadReplicaConfig({ REPLICA_DATABASE_URL: 'not a url' }, 'dynamodb')).toThrow(/REPLICA_DATABASE_URL must be a PostgreSQL URL/);
    expect(() => loadReplicaConfig({ REPLICA_DATABASE_URL: 'postgres://db/events' }, 'postgres')).toThrow(/needs STORE=dynamodb/);
    expect(loadReplicaConfig({}, 'dynamodb')).toBeNull();
  });

  it("refuses the service's own database (DATABASE_URL or READ_MODELS_DATABASE_URL), naming both variables", () => {
    const replica = 'postgres://replica:secret@db.example:5432/events';
    expect(() => loadReplicaConfig({ REPLICA_DATABASE_URL: replica, DATABASE_URL: 'postgresql://app:other@DB.example/events?sslmode=require' }, 'dynamodb')).toThrow(
      /REPLICA_DATABASE_URL .* same database as DATABASE_URL/,
    );
    expect(() => loadReplicaConfig({ REPLICA_DATABASE_URL: replica, READ_MODELS_DATABASE_URL: replica }, 'dynamodb')).toThrow(/REPLICA_DATABASE_URL .* same database as READ_MODELS_DATABASE_URL/);
    expect(loadReplicaConfig({ REPLICA_DATABASE_URL: replica, DATABASE_URL: 'postgres://db.example:5432/app', READ_MODELS_DATABASE_URL: 'postgres://db.example:5433/events' }, 'dynamodb')).toEqual({ databaseUrl: replica });
  });
});
