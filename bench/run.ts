import { Command, InvalidArgumentError, Option } from 'commander';
import { ADAPTERS } from './adapters.js';
import { describeMachine } from './machine.js';
import { formatJson, formatTable } from './report.js';
import { benchAdapter, type AdapterReport } from './runner.js';

const positiveInteger = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1) throw new InvalidArgumentError(`must be a positive integer, got ${JSON.stringify(value)}`);
  return parsed;
};

const options = new Command('bench')
  .description('Runs workloads W1-W4 against event-store adapters; every figure is the median of several runs on fresh streams.')
  .option('--json', 'print the figures as a JSON array instead of a table', false)
  .addOption(new Option('--adapter <name>', 'run this adapter only').choices(ADAPTERS.map((adapter) => adapter.name)))
  .option('--runs <n>', 'runs per workload', positiveInteger, 3)
  .parse()
  .opts<{ json: boolean; adapter?: string; runs: number }>();

// Progress goes to stderr so that stdout holds only the table or the JSON.
const progress = (line: string): void => void process.stderr.write(`${line}\n`);

const reports: AdapterReport[] = [];
for (const adapter of ADAPTERS.filter((candidate) => options.adapter === undefined || candidate.name === options.adapter)) {
  reports.push(await benchAdapter(adapter, options.runs, progress));
}
process.stdout.write(`${options.json ? formatJson(reports) : formatTable(reports, describeMachine(), options.runs)}\n`);
if (reports.some((report) => report.rows.some((row) => row.error !== undefined))) process.exitCode = 1;
