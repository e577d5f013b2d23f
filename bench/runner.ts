import type { BenchAdapter } from './adapters.js';
import { median } from './stats.js';
import { NotApplicable, type BenchTarget, type Figures, type Workload, type WorkloadName } from './workloads/workload.js';
const FIGURE_KEYS = ['eventsPerSecond', 'p50Ms', 'p95Ms', 'p99Ms', 'lagP50Ms', 'lagP99Ms', 'lagMaxMs', 'loadP95Ms'] as const;

/** One adapter's figures for one workload, or why there are none. */
export interface ResultRow extends Figures {
  readonly adapter: string;
  readonly workload: WorkloadName;
  readonly error?: string;
  /** Why the workload cannot run on this adapter; not a failure. */
  readonly notApplicable?: string;
}

export interface AdapterReport {
  readonly adapter: string;
  readonly server?: string;
  readonly rows: readonly ResultRow[];
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Each figure is the median of its own values over the runs; events/s to the unit, milliseconds to the microsecond. */
const medianOf = (runs: readonly Figures[]): Figures => {
  const figures: Record<string, number> = {};
  for (const key of FIGURE_KEYS) {
    const values = runs.flatMap((run) => (run[key] === undefined ? [] : [run[key]]));
    if (values.length > 0) figures[key] = key === 'eventsPerSecond' ? Math.round(median(values)) : Number(median(values).toFixed(3));
  }
  return figures;
};

const runWorkload = async (adapter: string, workload: Workload, target: BenchTarget, runs: number, progress: (line: string) => void): Promise<ResultRow> => {
  const figures: Figures[] = [];
  try {
    for (let run = 1; run <= runs; run += 1) {
      figures.push(await workload.run(target));
      progress(`${adapter} ${workload.name} run ${run}/${runs}: ${JSON.stringify(medianOf(figures.slice(-1)))}`);
    }
  } catch (error) {
    if (error instanceof NotApplicable) {
      progress(`${adapter} ${workload.name} not applicable: ${error.message}`);
      return { adapter, workload: workload.name, notApplicable: error.message };
    }
    progress(`${adapter} ${workload.name} FAILED: ${reasonOf(error)}`);
    return { adapter, workload: workload.name, error: reasonOf(error) };
  }
  return { adapter, workload: workload.name, ...medianOf(figures) };
};

/** Opens the adapter once and runs every workload `runs` times on fresh streams; failures become rows, never silence. */
export const benchAdapter = async (
  adapter: BenchAdapter,
  workloads: readonly Workload[],
  runs: number,
  progress: (line: string) => void,
): Promise<AdapterReport> => {
  let target: BenchTarget;
  try {
    target = await adapter.open();
  } catch (error) {
    const reason = `the adapter could not be opened: ${reasonOf(error)}`;
    progress(`${adapter.name} FAILED: ${reason}`);
    return { adapter: adapter.name, rows: workloads.map((workload) => ({ adapter: adapter.name, workload: workload.name, error: reason })) };
  }
  try {
    const rows: ResultRow[] = [];
    for (const workload of workloads) rows.push(await runWorkload(adapter.name, workload, target, runs, progress));
    return { adapter: adapter.name, ...(target.server === undefined ? {} : { server: target.server }), rows };
  } finally {
    await target.close();
  }
};
