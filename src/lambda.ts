/**
 * `event-sourcing-core/lambda`: the AWS Lambda entry points, each configured from the function's environment like
 * the service (docs/embedding.md, "Going to production"): the DynamoDB Streams consumer (projections, workflow,
 * relay), the workflow deadlines' schedule, the API Gateway HTTP API and the SQS command consumer.
 */
export { deadlineHandler, handler as streamHandler, type DynamoDbStreamEvent, type StreamBatchResponse } from './main/lambda-stream-handler.js';
export { httpHandler, httpHandlerFrom, type LambdaHttpHandler } from './main/lambda-http-handler.js';
export { sqsCommandHandler, sqsCommandHandlerFrom, type SqsCommandHandler } from './main/lambda-sqs-handler.js';
export type { ApiGatewayHttpEvent, ApiGatewayHttpResult } from './adapters/lambda/api-gateway-http.js';
export type { SqsBatchResponse, SqsEvent, SqsRecord } from './adapters/sqs/sqs-events.js';
export type { CommandMessage } from './adapters/sqs/command-message.js';
export type { MessageOutcome, MessageReport } from './adapters/sqs/sqs-command-consumer.js';
