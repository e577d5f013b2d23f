import { TOKEN } from '../adapters/http/request-context.js';
import { ConfigError } from './config-error.js';

export interface SqsCommandConfig {
  /** Who acts when a message names no actor: the service that sends commands on the queue. */
  readonly serviceActor: string;
}

const ACTOR = new RegExp(TOKEN);

/** `SQS_SERVICE_ACTOR`: the actor recorded for a message that names none; `sqs-commands` by default. */
export const loadSqsCommandConfig = (env: NodeJS.ProcessEnv = process.env): SqsCommandConfig => {
  const serviceActor = env.SQS_SERVICE_ACTOR ?? 'sqs-commands';
  if (!ACTOR.test(serviceActor)) throw new ConfigError(`SQS_SERVICE_ACTOR must be 1 to 128 visible ASCII characters (no spaces); got ${JSON.stringify(env.SQS_SERVICE_ACTOR)}`);
  return { serviceActor };
};
