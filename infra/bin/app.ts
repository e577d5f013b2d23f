import { App } from 'aws-cdk-lib';
import { ConfigError } from '../../src/main/config-error.js';
import { EventSourcingStack } from '../lib/event-sourcing-stack.js';
import { infraSettings } from '../lib/infra-settings.js';

/**
 * `npm run infra:synth [-- -c key=value ...]` (or `cdk synth|deploy -c key=value` with the CDK CLI, through cdk.json).
 * No credentials are needed to synthesise: the stack is environment-agnostic unless CDK_DEFAULT_ACCOUNT and
 * CDK_DEFAULT_REGION are set (the CLI sets them from the profile it deploys with).
 */
const contextOf = (args: readonly string[]): Record<string, string> => {
  const context: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== '-c' && args[i] !== '--context') throw new ConfigError(`unexpected argument ${JSON.stringify(args[i])}: pass settings as -c key=value`);
    const pair = args[++i] ?? '';
    const at = pair.indexOf('=');
    if (at < 1) throw new ConfigError(`-c needs key=value; got ${JSON.stringify(pair)}`);
    context[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return context;
};

try {
  // The CLI passes its own output folder and context; run alone, the app writes to cdk.out.
  const app = new App({ outdir: process.env.CDK_OUTDIR ?? 'cdk.out', context: contextOf(process.argv.slice(2)) });
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  const settings = infraSettings((key) => app.node.tryGetContext(key));
  new EventSourcingStack(app, app.node.tryGetContext('stackName') ?? 'EsCore', {
    settings,
    description: 'Event-sourcing core: event store tables, bus, stream consumer, HTTP API, command queue, keys, anchors, alarms (infra/)',
    ...(account && region ? { env: { account, region } } : {}),
  });
  const assembly = app.synth();
  console.log(`synthesised ${assembly.stacks.map((stack) => stack.stackName).join(', ')} into ${assembly.directory}`);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
