import { ConfigError } from './config-error.js';
import { loadConfig, type AppConfig } from './config.js';

/** Every setting refused at start-up, each message naming its variable and what is accepted. */
export class ConfigProblems extends ConfigError {
  override readonly name = 'ConfigProblems';

  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? (problems[0] ?? '') : `${problems.length} settings are refused:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** Each refusal starts with the variable it is about (`STORE must be ...`, `STORE=postgres needs ...`). */
const variableOf = (message: string): string | null => /^([A-Z][A-Z0-9_]*)\b/.exec(message)?.[1] ?? null;

/**
 * Runs a loader (`loadConfig`, and whatever else a program reads) naming every bad setting at once rather than the
 * first: after each refusal the variable it names is set aside (its default stands in) and the rest are checked
 * again. A refusal that follows from a default standing in (READ_MODELS=postgres once a misspelt STORE is set
 * aside) is reported too: it is true of what would run.
 */
export const loadNamingAll = <T>(env: NodeJS.ProcessEnv, load: (env: NodeJS.ProcessEnv) => T): T => {
  const problems: string[] = [];
  const remaining: NodeJS.ProcessEnv = { ...env };
  for (;;) {
    try {
      const loaded = load(remaining);
      if (problems.length > 0) throw new ConfigProblems(problems);
      return loaded;
    } catch (error) {
      if (error instanceof ConfigProblems || !(error instanceof ConfigError)) throw error;
      problems.push(error.message);
      const variable = variableOf(error.message);
      // A refusal of something absent (a required variable) cannot be set aside: report what is known so far.
      if (variable === null || remaining[variable] === undefined) throw new ConfigProblems(problems);
      delete remaining[variable];
    }
  }
};

/** `loadConfig`, naming every bad setting at once. */
export const loadConfigNamingAll = (env: NodeJS.ProcessEnv = process.env): AppConfig => loadNamingAll(env, (settings) => loadConfig(settings));
