import type { AdapterReport } from './runner.js';

const cell = (value: number | undefined): string => (value === undefined ? '' : value.toLocaleString('en-US', { maximumFractionDigits: 3 }));

/** A Markdown table, ready to paste into docs/benchmarks.md. */
export const formatTable = (reports: readonly AdapterReport[], machine: string, runs: number): string => {
  const lines = [`Machine: ${machine}`];
  for (const report of reports) if (report.server !== undefined) lines.push(`Server for ${report.adapter}: ${report.server}`);
  lines.push(`Each figure is the median of ${runs} run${runs === 1 ? '' : 's'} on fresh streams.`, '');
  lines.push('| adapter | workload | events/s | p50 ms | p95 ms | p99 ms |', '|---|---|---:|---:|---:|---:|');
  for (const row of reports.flatMap((report) => report.rows)) {
    const figures =
      row.error !== undefined
        ? `FAILED: ${row.error} | | |`
        : row.notApplicable !== undefined
          ? `n/a: ${row.notApplicable} | | |`
          : [row.eventsPerSecond, row.p50Ms, row.p95Ms, row.p99Ms].map(cell).join(' | ');
    lines.push(`| ${row.adapter} | ${row.workload} | ${figures} |`);
  }
  return lines.join('\n');
};

/** The JSON array of `npm run bench -- --json`: one object per adapter and workload. */
export const formatJson = (reports: readonly AdapterReport[]): string => JSON.stringify(reports.flatMap((report) => report.rows), null, 2);
