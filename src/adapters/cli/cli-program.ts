import { Command, InvalidArgumentError } from 'commander';
import type { ProjectionEngine } from '../../application/projections/projection-engine.js';
import type { DeadLetters } from '../../application/relay/dead-letter-replay.js';
import type { TemporalQueries } from '../../application/temporal/temporal-queries.js';
import type { OrderFulfilmentService } from '../../application/workflows/order-fulfilment-service.js';
import { progressPrinter } from './progress-bar.js';
import { scanCardNumbersCommand, type OpenScanSources } from './scan-card-numbers-command.js';
import { tokenCommand, type TokenSigning } from './token-command.js';
import { auditCommands, type AuditCli } from './audit-commands.js';
import { statusCommand } from './status-command.js';
import { replicaCommand } from './replica-command.js';
import { recoveryCommands, type RecoveryCli } from './recovery-commands.js';
import { consumersFastForwardCommand } from './consumers-fast-forward-command.js';

export interface CliIo {
  readonly out: (line: string) => void;
  readonly progress: NodeJS.WriteStream;
}

/** What the CLI drives: the application's projections, dead letters and temporal queries. */
export interface CliApp {
  readonly projections: Pick<ProjectionEngine, 'status' | 'rebuild' | 'retry' | 'park'>;
  readonly deadLetters: Pick<DeadLetters, 'list' | 'replay' | 'discard'>;
  readonly temporal: Pick<TemporalQueries, 'auditTrail' | 'aggregateAsOf'>;
  readonly fulfilment: Pick<OrderFulfilmentService, 'stuck' | 'view'>;
  /** The audit chain's verification and anchors; optional so that test doubles of the app need not build one. */
  readonly audit?: AuditCli;
  /** Disaster recovery's export and import; optional like `audit`. */
  readonly recovery?: RecoveryCli;
  close(): Promise<void>;
}

/** A refusal worth one line to the operator, exit code 1. */
export class CliFailure extends Error {}

const failNoAudit = (): never => {
  throw new CliFailure('this application has no audit chain');
};

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};

const instant = (value: string): string => {
  if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('must be an ISO 8601 time, e.g. 2026-11-26T10:00:00Z');
  return new Date(value).toISOString();
};

/** The operator's commands. `openApp` is called only once a command has parsed, so `--help` needs no store. */
export const cliProgram = (
  openApp: () => Promise<CliApp>,
  io: CliIo,
  openSigning: () => Promise<TokenSigning> = async () => ({ signer: { refused: 'this CLI has no signing key' } }),
  openScan: OpenScanSources = async () => {
    throw new CliFailure('this CLI cannot open a store to scan');
  },
): Command => {
  const program = new Command('es-cli').description('Operate the event store: projections, streams and aggregates in time.');
  // Usage errors end in a CommanderError the caller maps to exit code 2; subcommands inherit this.
  program.exitOverride();
  const withApp = async (work: (app: CliApp) => Promise<void>): Promise<void> => {
    const app = await openApp();
    try {
      await work(app);
    } finally {
      await app.close();
    }
  };

  const projections = program.command('projections').description('projection status, rebuild, retry and park');
  projections
    .command('status')
    .description("each projection's generation, checkpoint, lag and failure")
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      withApp(async (app) => {
        const statuses = await app.projections.status();
        if (options.json) return io.out(JSON.stringify(statuses, null, 2));
        for (const s of statuses) {
          const lag = s.lagEvents === null ? `lag ${Math.round(s.lastLagMs)} ms` : `lag ${s.lagEvents} events`;
          io.out(`${s.name.padEnd(18)} ${s.state.padEnd(8)} generation ${s.generation}  ${lag}  held by ${s.holder ?? 'nobody'}`);
          if (s.lastError) io.out(`  retrying (${s.retries} in a row): ${s.lastError}`);
          if (s.failure) io.out(`  stopped at ${s.failure.eventType} ${s.failure.eventId} (${s.failure.streamId} v${s.failure.version}, ${s.failure.reason}) after ${s.failure.attempts} attempts: ${s.failure.message}`);
          if (s.parked.length > 0) io.out(`  parked: ${s.parked.join(', ')}`);
        }
      }),
    );
  projections
    .command('rebuild <name>')
    .description('replay a projection into a fresh generation, then switch to it')
    .action((name: string) =>
      withApp(async (app) => {
        const printer = progressPrinter(io.progress);
        const generation = await app.projections.rebuild(name, (p) => printer.update(p));
        printer.done();
        io.out(`${name} now serves generation ${generation}`);
      }),
    );
  for (const [verb, description] of [
    ['retry', 'try the event a stopped projection failed on again'],
    ['park', 'set the failing event aside (recorded) and go on'],
  ] as const) {
    projections
      .command(`${verb} <name>`)
      .description(description)
      .action((name: string) =>
        withApp(async (app) => {
          // The instance holding the projection's lease sees the change at its next poll.
          const failure = (await app.projections.status()).find((s) => s.name === name)?.failure;
          if (!failure) throw new CliFailure(`${name} is not stopped at a failing event`);
          if (verb === 'park') await app.projections.park(name);
          else await app.projections.retry(name);
          io.out(`${verb === 'park' ? 'parked' : 'retried'} ${failure.eventType} ${failure.eventId}`);
        }),
      );
  }

  const deadLetters = program.command('dead-letters').description('events the relay could not publish: list, replay, discard');
  deadLetters
    .command('list')
    .description('oldest first')
    .option('--limit <count>', 'letters per page', positiveInt, 50)
    .option('--after <eventId>', 'start after this letter (the last one of the previous page)')
    .option('--json', 'print JSON')
    .action((options: { limit: number; after?: string; json?: boolean }) =>
      withApp(async (app) => {
        const letters = await app.deadLetters.list(options.limit, options.after);
        if (options.json) return io.out(JSON.stringify(letters, null, 2));
        for (const l of letters) io.out(`${l.deadLetteredAt} ${l.event.eventId} ${l.event.type} ${l.event.streamId} v${l.event.version} ${l.code}${l.busErrorCode ? ` (${l.busErrorCode})` : ''}: ${l.message}`);
        if (letters.length === options.limit) io.out(`more: --after ${letters.at(-1)?.event.eventId}`);
      }),
    );
  deadLetters
    .command('replay <eventId>')
    .description('publish the event again, exactly as it was first sent (needs EVENT_BUS_NAME)')
    .action((eventId: string) =>
      withApp(async (app) => {
        const letter = await app.deadLetters.replay(eventId);
        if (letter === null) throw new CliFailure(`no dead letter for event ${eventId}; dead-letters list shows them`);
        io.out(`replayed ${letter.event.type} ${eventId}`);
      }),
    );
  deadLetters
    .command('discard <eventId>')
    .description('forget the letter for good (the event stays in the store)')
    .action((eventId: string) =>
      withApp(async (app) => {
        if (!(await app.deadLetters.discard(eventId))) throw new CliFailure(`no dead letter for event ${eventId}; dead-letters list shows them`);
        io.out(`discarded ${eventId}`);
      }),
    );

  const workflows = program.command('workflows').description('order-fulfilment workflows: stuck ones, one order\'s fulfilment');
  workflows
    .command('stuck')
    .description('workflows in flight past their deadline, oldest first (a deadline not fired yet, or paid orders not confirmed and allocated in time)')
    .option('--limit <count>', 'at most this many', positiveInt, 100)
    .option('--json', 'print JSON')
    .action((options: { limit: number; json?: boolean }) =>
      withApp(async (app) => {
        const stuck = await app.fulfilment.stuck(options.limit);
        if (options.json) return io.out(JSON.stringify(stuck, null, 2));
        if (stuck.length === 0) return io.out('no workflow is past its deadline');
        for (const s of stuck) io.out(`order ${s.orderId}  ${s.step.padEnd(23)} due ${s.dueAt}  overdue ${Math.round(s.overdueMs / 1000)} s  (${s.deadlineId})`);
      }),
    );
  workflows
    .command('show <orderId>')
    .description("one order's fulfilment: step, pending deadline, history")
    .action((orderId: string) =>
      withApp(async (app) => {
        const view = await app.fulfilment.view(orderId);
        if (view.isErr()) throw new CliFailure(`${view.error.code}: ${view.error.message}`);
        io.out(JSON.stringify(view.value, null, 2));
      }),
    );

  program
    .command('stream <type> <id>')
    .description("show a stream's events with their metadata (type: order, payment, inventory, customer)")
    .option('--after <version>', 'start after this version', positiveInt)
    .option('--limit <count>', 'events per page', positiveInt, 100)
    .action((type: string, id: string, options: { after?: number; limit: number }) =>
      withApp(async (app) => {
        const page = await app.temporal.auditTrail(type, id, options.after ?? 0, options.limit);
        if (page.isErr()) throw new CliFailure(`${page.error.code}: ${page.error.message}`);
        for (const e of page.value.events) {
          io.out(`v${e.version} ${e.occurredAt} ${e.type} by ${e.metadata.actor} (correlation ${e.metadata.correlationId}) ${JSON.stringify(e.data)}`);
        }
        if (page.value.nextAfterVersion !== null) io.out(`more: --after ${page.value.nextAfterVersion}`);
      }),
    );

  program
    .command('aggregate <type> <id>')
    .description('show an aggregate now, as of a version, or as of a time')
    .option('--as-of-version <version>', 'the state after this version', positiveInt)
    .option('--as-of <time>', 'the state at this ISO 8601 time', instant)
    .action((type: string, id: string, options: { asOfVersion?: number; asOf?: string }) =>
      withApp(async (app) => {
        const view = await app.temporal.aggregateAsOf(type, id, options);
        if (view.isErr()) throw new CliFailure(`${view.error.code}: ${view.error.message}`);
        io.out(JSON.stringify(view.value, null, 2));
      }),
    );
  tokenCommand(program, io, openSigning);
  auditCommands(program, io, (work) => withApp(async (app) => work(app.audit ?? failNoAudit())));
  statusCommand(program, io, withApp);
  replicaCommand(program, io, withApp);
  scanCardNumbersCommand(program, io, openScan);
  recoveryCommands(program, io, withApp);
  consumersFastForwardCommand(program, io, withApp);
  return program;
};
