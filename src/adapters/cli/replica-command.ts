import type { Command } from 'commander';
import type { ConsumerPositions } from '../../application/subscriptions/consumer-positions.js';
import type { CliApp, CliIo } from './cli-program.js';

/** Optional so that test doubles of the app need not build it. */
type ReplicaApp = CliApp & { readonly consumers?: Pick<ConsumerPositions, 'retry'> };

type WithApp = (work: (app: ReplicaApp) => Promise<void>) => Promise<void>;

/**
 * `replica retry`: the replica stops at an event it cannot take as it is (a chain that does not verify, another
 * event at its version); once the cause is dealt with, this lets whichever instance or Lambda runs it try again.
 */
export const replicaCommand = (program: Command, io: CliIo, withApp: WithApp): void => {
  program
    .command('replica')
    .description('the continuous replica to PostgreSQL (REPLICA_DATABASE_URL); its lag and state are in `status`')
    .command('retry')
    .description('clear the stop the replica recorded, so that it tries the event it stopped at again')
    .action(() =>
      withApp(async (app) => {
        if (app.consumers === undefined) throw new Error('this application runs no replica');
        let cleared: boolean;
        try {
          cleared = await app.consumers.retry('replica');
        } catch (error) {
          if (error instanceof RangeError) throw new Error('no replica is configured here: set REPLICA_DATABASE_URL (with STORE=dynamodb)', { cause: error });
          throw error;
        }
        io.out(cleared ? 'replica: stop cleared; it tries the event again on its next run' : 'replica: not stopped; nothing to do');
      }),
    );
};
