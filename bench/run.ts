import { Command, InvalidArgumentError, Option } from 'commander';
import { ADAPTERS } from './adapters.js';
import { describeMachine } from './machine.js';
import { floorsOf, formatJson, formatTable } from './report.js';
import { benchAdapter, type AdapterReport } from './runner.js';
import { W4_FULL, W4_SNAPSHOT } from './workloads/aggregate-load.js';
import { adrRun } from './workloads/adr.js';
import { W1, W2 } from './workloads/append-throughput.js';
import { checkouts } from './workloads/checkouts.js';
import { httpCommands } from './workloads/http-commands.js';
import { projectionCatchUp } from './workloads/projection-catch-up.js';
import { projectionLag } from './workloads/projection-lag.js';
import { W3_100, W3_1000 } from './workloads/stream-reads.js';
import type { WorkloadName } from './workloads/workload.js';

const positiveInteger = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1) throw new InvalidArgumentError(`must be a positive integer, got ${JSON.stringify(value)}`);
  return parsed;
};

const WORKLOAD_NAMES: readonly WorkloadName[] = ['W1', 'W2', 'W3-100', 'W3-1000', 'W4-snapshot', 'W4-full', 'P1', 'P2', 'H1', 'F1', 'ADR'];

const options = new Command('bench')
  .description('Runs workloads W1-W4, P1, P2, H1, F1 and ADR against the adapters; every figure is the median of several runs on fresh streams.')
  .option('--json', 'print the figures as a JSON array instead of a table', false)
  .addOption(new Option('--adapter <name>', 'run this adapter only').choices(ADAPTERS.map((adapter) => adapter.name)))
  .addOption(new Option('--workload <names...>', 'run these workloads only').choices(WORKLOAD_NAMES))
  .option('--runs <n>', 'runs per workload', positiveInteger, 3)
  .option('--log-events <n>', 'P1: events in the log the projection catches up on', positiveInteger, 200_000)
  .option('--lag-seconds <n>', 'P2: how long the paced appends run', positiveInteger, 20)
  .option('--lag-rate <n>', 'P2: the append rate offered, events/s', positiveInteger, 5_000)
  .option('--http-requests <n>', 'H1: POST /orders requests timed', positiveInteger, 5_000)
  .option('--checkouts <n>', 'F1: checkouts placed and carried through by the workflow', positiveInteger, 1_000)
  .option('--adr-rate <n>', 'ADR: events per second offered', positiveInteger, 10_000)
  .option('--adr-seconds <n>', 'ADR: how long the load runs', positiveInteger, 60)
  .parse()
  .opts<{ json: boolean; adapter?: string; workload?: WorkloadName[]; runs: number; logEvents: number; lagSeconds: number; lagRate: number; httpRequests: number; checkouts: number; adrRate: number; adrSeconds: number }>();

const workloads = [
  W1,
  W2,
  W3_100,
  W3_1000,
  W4_SNAPSHOT,
  W4_FULL,
  projectionCatchUp(options.logEvents),
  projectionLag(options.lagSeconds, options.lagRate),
  httpCommands(options.httpRequests),
  checkouts(options.checkouts),
  adrRun(options.adrRate, options.adrSeconds),
].filter((workload) => options.workload === undefined || options.workload.includes(workload.name));

// Progress goes to stderr so that stdout holds only the table or the JSON.
const progress = (line: string): void => void process.stderr.write(`${line}\n`);

// An adapter brings its floor along: a ratio is only meaningful between figures of the same run.
const chosen = ADAPTERS.find((candidate) => candidate.name === options.adapter);
const selected = ADAPTERS.filter((candidate) => options.adapter === undefined || candidate === chosen || candidate.name === chosen?.floor);
const reports: AdapterReport[] = [];
for (const adapter of selected) {
  reports.push(await benchAdapter(adapter, workloads, options.runs, progress));
}
process.stdout.write(`${options.json ? formatJson(reports) : formatTable(reports, describeMachine(), options.runs, floorsOf(ADAPTERS))}\n`);
if (reports.some((report) => report.rows.some((row) => row.error !== undefined))) process.exitCode = 1;
