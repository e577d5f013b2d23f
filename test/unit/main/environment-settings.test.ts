import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigProblems, loadConfigNamingAll } from '../../../src/main/config-problems.js';
import { ConfigError, loadConfig } from '../../../src/main/config.js';

const ENVIRONMENTS = resolve(import.meta.dirname, '../../../environments');

describe('READ_MODELS: where the projections keep their read models', () => {
  it('keeps them beside the events unless told, and in PostgreSQL beside DynamoDB when told', () => {
    expect(loadConfig({ STORE: 'memory' }).readModels).toEqual({ kind: 'store' });
    expect(loadConfig({ STORE: 'dynamodb', READ_MODELS: 'postgres', READ_MODELS_DATABASE_URL: 'postgres://r@db/rm', DATABASE_URL: 'postgres://other@db/x' }).readModels).toEqual({
      kind: 'postgres',
      url: 'postgres://r@db/rm',
    });
    expect(loadConfig({ STORE: 'dynamodb', READ_MODELS: 'postgres', DATABASE_URL: 'postgresql://r@db/rm' }).readModels).toEqual({ kind: 'postgres', url: 'postgresql://r@db/rm' });
  });

  it.each([
    [{ STORE: 'dynamodb', READ_MODELS: 'mysql' }, /^READ_MODELS must be store \(beside the events\) or postgres \(with STORE=dynamodb\); got "mysql"/],
    [{ STORE: 'pglite', READ_MODELS: 'postgres', DATABASE_URL: 'postgres://db/x' }, /^READ_MODELS=postgres goes with STORE=dynamodb .*got STORE=pglite/],
    [{ STORE: 'dynamodb', READ_MODELS: 'postgres' }, /^READ_MODELS=postgres needs READ_MODELS_DATABASE_URL \(or DATABASE_URL\)/],
    [{ STORE: 'dynamodb', READ_MODELS: 'postgres', READ_MODELS_DATABASE_URL: 'mysql://u:secret@db/x' }, /^READ_MODELS_DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL; got "mysql:\/\/\*\*\*@db\/x"/],
  ])('refuses %j, naming the variable and what is accepted', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('every bad setting named at once', () => {
  it('names each bad variable in one error, not only the first', () => {
    const refused = (() => {
      try {
        loadConfigNamingAll({ STORE: 'mongo', SNAPSHOT_EVERY: 'often', METRICS: 'statsd', READ_MODELS: 'mysql', LEASE_TTL_MS: '5' });
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(refused).toBeInstanceOf(ConfigProblems);
    expect(refused).toBeInstanceOf(ConfigError);
    const problems = (refused as ConfigProblems).problems;
    expect(problems.map((problem) => /^[A-Z_]+/.exec(problem)?.[0]).sort()).toEqual(['LEASE_TTL_MS', 'METRICS', 'READ_MODELS', 'SNAPSHOT_EVERY', 'STORE']);
    expect((refused as Error).message).toMatch(/^5 settings are refused:\n {2}- /);
    expect((refused as Error).message).toContain('STORE must be one of memory, pglite, postgres, dynamodb; got "mongo"');
  });

  it('gives the configuration when every setting is good, and one refusal as it is', () => {
    expect(loadConfigNamingAll({ STORE: 'memory', METRICS: 'both' })).toMatchObject({ store: 'memory', metrics: 'both' });
    expect(() => loadConfigNamingAll({ STORE: 'postgres' })).toThrow(/^STORE=postgres needs DATABASE_URL/);
  });
});

describe('the example environments in environments/', () => {
  const files = readdirSync(ENVIRONMENTS).filter((name) => name.endsWith('.env'));

  it('has the set-ups docs/embedding.md names', () => {
    expect(files.sort()).toEqual(['laptop.env', 'production.env', 'reporting.env', 'unit-tests.env']);
  });

  it.each(files)('%s is accepted as it stands', (file) => {
    const settings = parseEnv(readFileSync(join(ENVIRONMENTS, file), 'utf8'));
    expect(Object.keys(settings).length).toBeGreaterThan(0);
    expect(() => loadConfigNamingAll(settings)).not.toThrow();
  });

  it('reporting.env keeps DynamoDB events and PostgreSQL read models', () => {
    const config = loadConfigNamingAll(parseEnv(readFileSync(join(ENVIRONMENTS, 'reporting.env'), 'utf8')));
    expect(config.store).toBe('dynamodb');
    expect(config.readModels.kind).toBe('postgres');
  });
});
