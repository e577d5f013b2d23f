import { CommanderError } from 'commander';
import { CliFailure, cliProgram } from '../adapters/cli/cli-program.js';
import { appFrom } from './app.js';
import { loadConfig } from './config.js';
import { createContainer } from './container.js';

const program = cliProgram(async () => appFrom(await createContainer(loadConfig())), {
  out: (line) => console.log(line),
  progress: process.stderr,
});

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
