import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STATUS_BY_CODE } from '../../src/adapters/http/status-codes.js';
import { AGGREGATES } from '../../src/application/temporal/temporal-queries.js';

/** Where the codes a command or query can be refused with are written. */
const SOURCES = [
  'src/domain',
  'src/application/commands',
  'src/application/queries',
  'src/application/temporal',
  'src/application/repository',
  'src/application/ports/event-store.ts',
  'src/application/payments',
  'src/application/workflows',
  'src/application/error-codes.ts',
  'src/adapters/http/access-control.ts',
  'src/adapters/http/request-errors.ts',
];

/** The table as any code a transport meets looks it up. */
const STATUSES: Readonly<Record<string, number>> = STATUS_BY_CODE;

/** Bugs or broken data, never the caller's doing: listed with 500 on purpose (answered with an error id). */
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
    // Typed constants: `SIGNATURE_INVALID: 'GATEWAY.SIGNATURE_INVALID'`.
    for (const [, code] of source.matchAll(/^\s+[A-Z_]+: '([A-Z_]+\.[A-Z_]+)'/gm)) codes.add(code as string);
  }
  // The one code built from a template: <TYPE>.NOT_FOUND, by the command executor and the temporal queries.
  for (const definition of Object.values(AGGREGATES)) codes.add(`${definition.type.toUpperCase()}.NOT_FOUND`);
  return codes;
};

describe('the status of every refusal code', () => {
  // The compiler checks the table against the union of declared codes; this catches a code written outside them.
  it('is in the one table, bugs listed as 500', () => {
    const codes = codesInSources();
    expect(codes.size).toBeGreaterThan(60);
    expect([...codes].filter((code) => STATUSES[code] === undefined)).toEqual([]);
    expect(UNEXPECTED.map((code) => STATUSES[code])).toEqual(UNEXPECTED.map(() => 500));
    expect(Object.keys(STATUSES).filter((code) => STATUSES[code] === 500 && !UNEXPECTED.includes(code))).toEqual([]);
  });

  it('names no code the application does not produce', () => {
    const codes = codesInSources();
    expect(Object.keys(STATUSES).filter((code) => !codes.has(code))).toEqual([]);
  });
});
