import { CommanderError } from 'commander';
import { CliFailure, cliProgram } from '../adapters/cli/cli-program.js';
import { loadConfig } from './config.js';
import { tokenSigningFrom } from './token-signing.js';

// The store's modules load only for commands that open it: `token` answers in a fraction of the time.
const program = cliProgram(
  async () => {
    const [{ appFrom }, { createContainer }] = await Promise.all([import('./app.js'), import('./container.js')]);
    return appFrom(await createContainer(loadConfig()));
  },
  { out: (line) => console.log(line), progress: process.stderr },
  // Minting a token opens no store: it works while the service holds the PGlite folder.
  () => tokenSigningFrom(loadConfig().auth),
  // The scan opens the store by itself: it reads every table and runs no consumer.
  async (logs) => (await import('./stored-text-sources.js')).openStoredTextSources(loadConfig(), logs),
);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    // commander has printed help or the usage error itself.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
    return;
  }
  console.error(`error: ${error instanceof CliFailure || error instanceof Error ? error.message : String(error)}`);
  if (process.env.DEBUG) console.error(error);
  process.exitCode = 1;
});
