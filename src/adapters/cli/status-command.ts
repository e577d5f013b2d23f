import type { Command } from 'commander';
import type { AnchorSummary } from '../../application/audit/store-audit.js';
import type { ConsumerPositions } from '../../application/subscriptions/consumer-positions.js';
import { REPLICA_NAME } from '../../application/replica/event-replica.js';
import type { CliApp, CliIo } from './cli-program.js';

/** Optional so that test doubles of the app need not build them: without them the screen says so. */
type StatusApp = CliApp & { readonly consumers?: Pick<ConsumerPositions, 'status'> };

type WithApp = (work: (app: StatusApp) => Promise<void>) => Promise<void>;

export interface ConsumerLine {
  readonly name: string;
  readonly kind: 'projection' | 'relay' | 'workflow' | 'replica';
  readonly state: string;
  readonly holder: string | null;
  readonly position: string | null;
  readonly lagEvents: number | null;
  readonly lagSeconds: number | null;
  readonly attention: string | null;
}

export interface StatusReport {
  readonly consumers: readonly ConsumerLine[];
  readonly deadLetters: { readonly count: number; readonly oldest: string | null };
  readonly pastDeadline: { readonly count: number; readonly oldestDueAt: string | null; readonly atLeast: boolean };
  readonly anchor: AnchorSummary | null;
  /** Why an operator should look, one phrase each; empty when all is well. */
  readonly attention: readonly string[];
}

const PAGE = 500;
const STUCK_LIMIT = 100;

const countDeadLetters = async (app: StatusApp): Promise<StatusReport['deadLetters']> => {
  let count = 0;
  let oldest: string | null = null;
  let after: string | undefined;
  for (;;) {
    const page = await app.deadLetters.list(PAGE, after);
    oldest ??= page[0]?.deadLetteredAt ?? null;
    count += page.length;
    if (page.length < PAGE) return { count, oldest };
    after = page.at(-1)?.event.eventId;
  }
};

const projectionLines = async (app: StatusApp): Promise<ConsumerLine[]> =>
  (await app.projections.status()).map((s) => ({
    name: s.name,
    kind: 'projection',
    state: s.failure !== null ? 'stopped' : s.parked.length > 0 ? 'parked' : s.state,
    holder: s.holder,
    position: s.checkpoint,
    lagEvents: s.lagEvents,
    // Known only where this process ran it: the CLI runs no consumer.
    lagSeconds: s.lastLagMs > 0 ? s.lastLagMs / 1000 : null,
    attention: s.failure !== null ? `stopped at ${s.failure.eventType} ${s.failure.eventId}` : s.parked.length > 0 ? `${s.parked.length} parked event(s)` : null,
  }));

const elsewhereLines = async (app: StatusApp): Promise<ConsumerLine[]> =>
  (await (app.consumers?.status() ?? Promise.resolve([]))).map((c) => ({
    name: c.name,
    kind: c.name.startsWith('relay:') ? 'relay' : c.name === REPLICA_NAME ? 'replica' : 'workflow',
    state: c.stoppedAt ? 'stopped' : c.holder === null ? 'idle' : 'running',
    holder: c.holder,
    position: c.checkpoint,
    lagEvents: c.lagEvents,
    // The replica leaves its last lag in the store, wherever it runs (in process or in the stream Lambda).
    lagSeconds: c.lagMs === null || c.lagMs === undefined ? null : c.lagMs / 1000,
    attention: c.stoppedAt ? `stopped at ${c.stoppedAt.eventType} ${c.stoppedAt.eventId}: ${c.stoppedAt.message}` : null,
  }));

export const statusReport = async (app: StatusApp): Promise<StatusReport> => {
  const [projections, elsewhere, deadLetters, stuck, anchor] = await Promise.all([
    projectionLines(app),
    elsewhereLines(app),
    countDeadLetters(app),
    app.fulfilment.stuck(STUCK_LIMIT),
    app.audit?.newestAnchor() ?? Promise.resolve(null),
  ]);
  const consumers = [...projections, ...elsewhere];
  const attention = [
    ...consumers.flatMap((c) => (c.attention === null ? [] : [`${c.name}: ${c.attention}`])),
    ...(deadLetters.count > 0 ? [`${deadLetters.count} dead letter(s)`] : []),
    ...(stuck.length > 0 ? [`${stuck.length}${stuck.length === STUCK_LIMIT ? '+' : ''} workflow(s) past deadline`] : []),
    ...(anchor?.problem ? [`newest anchor cannot be trusted: ${anchor.problem}`] : []),
  ];
  return {
    consumers,
    deadLetters,
    pastDeadline: { count: stuck.length, oldestDueAt: stuck[0]?.dueAt ?? null, atLeast: stuck.length === STUCK_LIMIT },
    anchor,
    attention,
  };
};

const dash = (value: string | number | null): string => (value === null ? '-' : String(value));

const print = (io: CliIo, report: StatusReport): void => {
  const rows = report.consumers.map((c) => [
    c.name,
    c.kind,
    c.state,
    dash(c.holder),
    dash(c.position),
    c.lagEvents === null ? '-' : `${c.lagEvents} ev`,
    c.lagSeconds === null ? '-' : `${c.lagSeconds.toFixed(1)} s`,
  ]);
  const table = [['CONSUMER', 'KIND', 'STATE', 'HOLDER', 'POSITION', 'LAG', 'LAG TIME'], ...rows];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table) io.out(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
  io.out('');
  const { deadLetters, pastDeadline, anchor } = report;
  io.out(`dead letters     ${deadLetters.count}${deadLetters.oldest === null ? '' : `  oldest ${deadLetters.oldest}`}`);
  io.out(`past deadline    ${pastDeadline.count}${pastDeadline.atLeast ? '+' : ''}${pastDeadline.oldestDueAt === null ? '' : `  oldest due ${pastDeadline.oldestDueAt}`}`);
  io.out(`newest anchor    ${anchor === null ? 'none' : `${dash(anchor.createdAt)}  root ${dash(anchor.root)}  ${anchor.streams} streams, ${anchor.events} events${anchor.problem === null ? '' : `  UNTRUSTED: ${anchor.problem}`}`}`);
  io.out('');
  io.out(report.attention.length === 0 ? 'all well' : `needs attention: ${report.attention.join('; ')}`);
};

/**
 * `status`: every consumer, dead letters, overdue workflows and the newest anchor on one screen. It reads
 * positions and the anchor only (no verification walk), and exits 1 when something needs an operator.
 */
export const statusCommand = (program: Command, io: CliIo, withApp: WithApp): void => {
  program
    .command('status')
    .description("one screen: each consumer's state and lag, dead letters, workflows past deadline, the newest anchor; exit code 1 when something needs attention")
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      withApp(async (app) => {
        const report = await statusReport(app);
        if (options.json) io.out(JSON.stringify(report, null, 2));
        else print(io, report);
        if (report.attention.length > 0) throw new Error(`needs attention: ${report.attention.join('; ')}`);
      }),
    );
};
