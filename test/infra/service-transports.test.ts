import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { infraSettings } from '../../infra/lib/infra-settings.js';
import { synthesise } from './synthesise.js';

const AUTH = { authJwksUrl: 'https://login.example.com/.well-known/jwks.json', authIssuer: 'https://login.example.com/', authAudience: 'es-core' };
const { stack, template } = synthesise(AUTH);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
const idOf = (construct: { node: { defaultChild?: unknown } }): string => stack.getLogicalId(construct.node.defaultChild as CfnFunction | CfnQueue);
const http = idOf(stack.transports.http);
const commandHandler = idOf(stack.transports.commandHandler);
const commands = idOf(stack.transports.commands);
const deadLetters = idOf(stack.transports.commandDeadLetters);
const variablesOf = (fn: string) => (resources[fn]?.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
const actionsOf = (fn: string): string[] => {
  const role = (resources[fn]?.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(role))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[])
    .flatMap((statement) => [statement.Action].flat());
};

describe('the HTTP API', () => {
  it('sends every route ($default) to the HTTP function, in payload format 2.0', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
    expect(Object.values(integrations).map((integration) => integration.Properties)).toEqual([
      expect.objectContaining({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0', IntegrationUri: { 'Fn::GetAtt': [http, 'Arn'] } }),
    ]);
    const [integration] = Object.keys(integrations);
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default', Target: { 'Fn::Join': ['', ['integrations/', { Ref: integration }]] } });
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: '$default', AutoDeploy: true });
  });

  it('runs httpHandler with the service environment, consumers off, EMF metrics and the identity provider from context', () => {
    expect(resources[http]?.Properties).toMatchObject({ Handler: 'index.httpHandler', Runtime: 'nodejs22.x', Timeout: 29 });
    expect(variablesOf(http)).toMatchObject({ STORE: 'dynamodb', CONSUMERS: 'off', METRICS: 'emf', AUTH_JWKS_URL: AUTH.authJwksUrl, AUTH_ISSUER: AUTH.authIssuer, AUTH_AUDIENCE: AUTH.authAudience });
  });

  it('may do what the service does: write subjects\' keys, generate data keys, publish, write anchors', () => {
    expect(actionsOf(http)).toEqual(expect.arrayContaining(['kms:GenerateDataKey', 's3:PutObjectRetention', 'events:PutEvents', 'dynamodb:PutItem']));
  });
});

describe('the command queue', () => {
  it('parks a message received 5 times on its dead-letter queue', () => {
    expect(resources[commands]?.Properties).toMatchObject({
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetters, 'Arn'] }, maxReceiveCount: 5 },
      // Six times the function's 30 s.
      VisibilityTimeout: 180,
    });
  });

  it('feeds sqsCommandHandler, which reports the messages to retry', () => {
    expect(resources[commandHandler]?.Properties).toMatchObject({ Handler: 'index.sqsCommandHandler', Timeout: 30 });
    expect(variablesOf(commandHandler)).toMatchObject({ STORE: 'dynamodb', CONSUMERS: 'off', METRICS: 'emf' });
    expect(variablesOf(commandHandler)).not.toHaveProperty('AUTH_JWKS_URL');
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: commandHandler },
      EventSourceArn: { 'Fn::GetAtt': [commands, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(actionsOf(commandHandler)).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'kms:GenerateDataKey', 'events:PutEvents']));
  });

  it('alarms as soon as a command is on the dead-letter queue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetters, 'QueueName'] } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });
});

describe('the identity provider settings', () => {
  const context = (values: Record<string, unknown>) => (key: string) => values[key];

  it('are all three or none', () => {
    expect(infraSettings(context({})).auth).toBeNull();
    expect(infraSettings(context(AUTH)).auth).toEqual({ jwksUrl: AUTH.authJwksUrl, issuer: AUTH.authIssuer, audience: AUTH.authAudience });
    expect(() => infraSettings(context({ authJwksUrl: AUTH.authJwksUrl, authIssuer: AUTH.authIssuer }))).toThrow('context authJwksUrl, authIssuer, authAudience go together; got only authJwksUrl, authIssuer');
  });

  it('refuse a JWKS URL that is not https and an empty audience, naming the key', () => {
    expect(() => infraSettings(context({ ...AUTH, authJwksUrl: 'http://login.example.com/jwks.json' }))).toThrow(/^context authJwksUrl must be an https URL/);
    expect(() => infraSettings(context({ ...AUTH, authAudience: '' }))).toThrow(/^context authAudience must be this API's audience/);
  });
});
