import type { BenchAdapter } from './adapters.js';
import type { AdapterReport, ResultRow } from './runner.js';

const cell = (value: number | undefined): string => (value === undefined ? '' : value.toLocaleString('en-US', { maximumFractionDigits: 3 }));

/** Each adapter's floor, by adapter name. */
export const floorsOf = (adapters: readonly BenchAdapter[]): ReadonlyMap<string, string> =>
  new Map(adapters.flatMap((adapter) => (adapter.floor === undefined ? [] : [[adapter.name, adapter.floor] as const])));

/** Throughput as a multiple of the floor's (higher is better); a latency's p95 as a multiple of the floor's (lower is better). */
const versusFloor = (row: ResultRow, floor: ResultRow | undefined): string => {
  if (floor === undefined) return '';
  if (row.eventsPerSecond !== undefined && floor.eventsPerSecond !== undefined) return `${(row.eventsPerSecond / floor.eventsPerSecond).toFixed(2)}x`;
  if (row.p95Ms !== undefined && floor.p95Ms !== undefined) return `p95 ${(row.p95Ms / floor.p95Ms).toFixed(2)}x`;
  return '';
};

/** A Markdown table, ready to paste into docs/benchmarks.md. */
export const formatTable = (reports: readonly AdapterReport[], machine: string, runs: number, floors: ReadonlyMap<string, string> = new Map()): string => {
  const lines = [`Machine: ${machine}`];
  for (const report of reports) if (report.server !== undefined) lines.push(`Server for ${report.adapter}: ${report.server}`);
  lines.push(`Each figure is the median of ${runs} run${runs === 1 ? '' : 's'} on fresh streams.`, '');
  lines.push('| adapter | workload | events/s | p50 ms | p95 ms | p99 ms | vs floor |', '|---|---|---:|---:|---:|---:|---:|');
  const rows = reports.flatMap((report) => report.rows);
  const floorRow = (row: ResultRow): ResultRow | undefined => {
    const floor = floors.get(row.adapter);
    return rows.find((candidate) => candidate.adapter === floor && candidate.workload === row.workload && candidate.error === undefined && candidate.notApplicable === undefined);
  };
  for (const row of rows) {
    const figures =
      row.error !== undefined
        ? `FAILED: ${row.error} | | | |`
        : row.notApplicable !== undefined
          ? `n/a: ${row.notApplicable} | | | |`
          : [...[row.eventsPerSecond, row.p50Ms, row.p95Ms, row.p99Ms].map(cell), versusFloor(row, floorRow(row))].join(' | ');
    lines.push(`| ${row.adapter} | ${row.workload} | ${figures} |`);
  }
  // The ADR run's projection lag and aggregate load time, in a table of their own.
  const lagged = rows.filter((row) => [row.lagP50Ms, row.lagP99Ms, row.lagMaxMs, row.loadP95Ms].some((value) => value !== undefined));
  if (lagged.length > 0) lines.push('', '| adapter | workload | lag p50 ms | lag p99 ms | lag max ms | load p95 ms |', '|---|---|---:|---:|---:|---:|');
  for (const row of lagged) lines.push(`| ${row.adapter} | ${row.workload} | ${[row.lagP50Ms, row.lagP99Ms, row.lagMaxMs, row.loadP95Ms].map(cell).join(' | ')} |`);
  return lines.join('\n');
};

/** The JSON array of `npm run bench -- --json`: one object per adapter and workload. */
export const formatJson = (reports: readonly AdapterReport[]): string => JSON.stringify(reports.flatMap((report) => report.rows), null, 2);
