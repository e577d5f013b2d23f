import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EventSourcingStack } from '../../infra/lib/event-sourcing-stack.js';
import { infraSettings } from '../../infra/lib/infra-settings.js';

/**
 * The stack as `npm run infra:synth` builds it, minus the Lambda bundle (esbuild over the whole service: most of a
 * synth, and it changes nothing in the template but the asset hash) and minus CDK's built-in CloudFormation schema
 * validation (a WebAssembly engine taking 5 to 30 s here; `npm run infra:synth` runs it).
 */
export const synthesise = (
  context: Record<string, string> = {},
  { extend }: { readonly extend?: (stack: EventSourcingStack) => void } = {},
): { stack: EventSourcingStack; template: Template } => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context }, builtinCloudFormationValidation: false });
  const stack = new EventSourcingStack(app, 'EsCoreTest', { settings: infraSettings((key) => app.node.tryGetContext(key)) });
  extend?.(stack);
  return { stack, template: Template.fromStack(stack) };
};
