import { CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { HttpApi, PayloadFormatVersion } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { HttpAuthSettings } from './infra-settings.js';
import { HTTP_HANDLER_ENTRY, SQS_HANDLER_ENTRY } from './project-paths.js';
import { bundled } from './stream-consumer.js';

export interface ServiceTransportsProps {
  /** What src/main/config.ts reads (CONSUMERS=off, METRICS=emf: the stream Lambda drives the consumers). */
  readonly environment: Readonly<Record<string, string>>;
  /** The identity provider whose tokens the API accepts; none: the function's own per-instance key (useless in production). */
  readonly auth: HttpAuthSettings | null;
}

/** How often a command message is tried before it is parked on the dead-letter queue. */
export const COMMAND_MAX_RECEIVES = 5;

/** API Gateway gives up on an integration after 30 s: the function stops first, so that its own answer is the one sent. */
const HTTP_TIMEOUT = Duration.seconds(29);
const COMMAND_TIMEOUT = Duration.seconds(30);

/**
 * The service's transports (issue 13) as functions: the HTTP API (every route, `$default`, into the service's own
 * fastify server) and the command queue, each over the same facade. Neither runs a consumer.
 */
export class ServiceTransports extends Construct {
  readonly api: HttpApi;
  readonly http: NodejsFunction;
  readonly commands: Queue;
  /** Commands tried COMMAND_MAX_RECEIVES times without an answer (store unavailable, function failing), kept for an operator. */
  readonly commandDeadLetters: Queue;
  readonly commandHandler: NodejsFunction;

  constructor(scope: Construct, id: string, props: ServiceTransportsProps) {
    super(scope, id);
    const auth: Record<string, string> = props.auth === null ? {} : { AUTH_JWKS_URL: props.auth.jwksUrl, AUTH_ISSUER: props.auth.issuer, AUTH_AUDIENCE: props.auth.audience };
    this.http = new NodejsFunction(this, 'Http', {
      ...bundled('HTTP API', 'httpHandler', { ...props.environment, ...auth }, HTTP_TIMEOUT, HTTP_HANDLER_ENTRY),
      logGroup: new LogGroup(this, 'HttpLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.RETAIN }),
    });
    // The fastify server routes and answers 404 itself: one catch-all route rather than a copy of its route table.
    this.api = new HttpApi(this, 'Api', {
      description: 'es-core HTTP API (the service\'s routes, in a Lambda)',
      defaultIntegration: new HttpLambdaIntegration('Service', this.http, { payloadFormatVersion: PayloadFormatVersion.VERSION_2_0 }),
    });

    this.commandDeadLetters = new Queue(this, 'CommandDeadLetters', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    this.commands = new Queue(this, 'Commands', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's advice for a Lambda source: six times the function's timeout, so that retries of a throttled batch do not redeliver it early.
      visibilityTimeout: Duration.seconds(COMMAND_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.commandDeadLetters, maxReceiveCount: COMMAND_MAX_RECEIVES },
    });
    this.commandHandler = new NodejsFunction(this, 'CommandHandler', {
      ...bundled('SQS commands', 'sqsCommandHandler', props.environment, COMMAND_TIMEOUT, SQS_HANDLER_ENTRY),
      logGroup: new LogGroup(this, 'CommandLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.RETAIN }),
    });
    // The handler names the messages to retry (lambda-sqs-handler.ts); the others are deleted.
    this.commandHandler.addEventSource(new SqsEventSource(this.commands, { batchSize: 10, reportBatchItemFailures: true }));

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint, description: 'The HTTP API' });
    new CfnOutput(this, 'CommandQueueUrl', { value: this.commands.queueUrl, description: 'Where commands are sent' });
  }
}
