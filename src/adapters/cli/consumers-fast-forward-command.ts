import type { Command } from 'commander';
import type { CliApp, CliIo } from './cli-program.js';
import { recoveryOf } from './recovery-commands.js';

type WithApp = (work: (app: CliApp) => Promise<void>) => Promise<void>;

/**
 * `consumers fast-forward [--force]`: on a fail-over to the replica, the relay and the workflow have no position
 * there and would act again on every event the old primary's acted on. A consumer with a position is refused
 * (RECOVERY.CONSUMERS_HAVE_POSITIONS, exit code 1) unless `--force` (docs/disaster-recovery.md).
 */
export const consumersFastForwardCommand = (program: Command, io: CliIo, withApp: WithApp): void => {
  program
    .command('consumers')
    .description('the consumers with effects outside the store (the EventBridge relay, the order-fulfilment workflow)')
    .command('fast-forward')
    .description('move the relay (when EVENT_BUS_NAME is set) and the workflow to the end of the feed, so that they do not act again on events acted on before a fail-over; never the projections')
    .option('--force', 'move them although they have a position in this store (events they have not handled yet are skipped)')
    .action((options: { force?: boolean }) =>
      withApp(async (app) => {
        const report = await recoveryOf(app).fastForward({ force: options.force === true });
        if (report.consumers.length === 0) return io.out('no consumer to move');
        io.out(`moved ${report.consumers.join(', ')} to the end of the feed: events stored before now are neither published nor handled by them`);
      }),
    );
};
