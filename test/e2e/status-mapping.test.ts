import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STATUS_BY_CODE } from '../../src/adapters/http/status-codes.js';
import { AGGREGATES } from '../../src/application/temporal/temporal-queries.js';

/** Where the codes a command or query can be refused with are written. */
const SOURCES = ['src/domain', 'src/application/commands', 'src/application/queries', 'src/application/temporal', 'src/application/repository', 'src/application/ports/event-store.ts'];

/** Bugs or broken data, never the caller's doing: answered 500 with an error id on purpose. */
const UNEXPECTED = [
  'AGGREGATE.UNKNOWN_EVENT_TYPE',
  'AGGREGATE.VERSION_GAP',
  'AGGREGATE.SNAPSHOT_MISMATCH',
  'AGGREGATE.SNAPSHOT_SCHEMA_CHANGED',
  'EVENT_STORE.INVALID_APPEND',
];

const files = (path: string): string[] =>
  path.endsWith('.ts') ? [path] : readdirSync(path, { withFileTypes: true }).flatMap((entry) => files(join(path, entry.name)));

const codesInSources = (): Set<string> => {
  const codes = new Set<string>();
  for (const file of SOURCES.flatMap(files)) {
    const source = readFileSync(file, 'utf8');
    for (const [, code] of source.matchAll(/(?:domainError\(|code: )'([A-Z_]+\.[A-Z_]+)'/g)) codes.add(code as string);
    // Codes built from a template: ORDER.CANNOT_<ACTION>, <TYPE>.CARD_NUMBER_IN_TEXT and <TYPE>.NOT_FOUND.
    for (const [, action] of source.matchAll(/refuseStatus\('([A-Z]+)'/g)) codes.add(`ORDER.CANNOT_${action}`);
    for (const [, type] of source.matchAll(/refuseCardNumberIn\('([A-Z]+)'/g)) codes.add(`${type}.CARD_NUMBER_IN_TEXT`);
  }
  for (const definition of Object.values(AGGREGATES)) codes.add(`${definition.type.toUpperCase()}.NOT_FOUND`);
  return codes;
};

describe('the status of every refusal code', () => {
  it('is in the one table, unless it is a bug answered as 500', () => {
    const codes = codesInSources();
    expect(codes.size).toBeGreaterThan(40);
    const unmapped = [...codes].filter((code) => STATUS_BY_CODE[code] === undefined && !UNEXPECTED.includes(code));
    expect(unmapped).toEqual([]);
    expect(UNEXPECTED.filter((code) => STATUS_BY_CODE[code] !== undefined)).toEqual([]);
  });

  it('names no code the application does not produce', () => {
    const codes = codesInSources();
    const transportOwn = ['PROJECTION.NOT_FOUND', 'PROJECTION.REBUILD_IN_PROGRESS', 'OPERATOR.UNAUTHENTICATED', 'OPERATOR.DISABLED'];
    expect(Object.keys(STATUS_BY_CODE).filter((code) => !codes.has(code) && !transportOwn.includes(code))).toEqual([]);
  });
});
