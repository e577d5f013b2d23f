// Commands from an SQS queue, run through the same application (and the same schemas) as the HTTP API.
//
// Deploy: an event source mapping from the queue to this file's `handler`, with FunctionResponseTypes
// ["ReportBatchItemFailures"], and on the queue a redrive policy (maxReceiveCount 5, say) to a dead-letter queue.
// A message's body: {"command": "PlaceOrder", "input": {...the fields the HTTP route takes...}, "actor": "checkout"}.
// Its message id is the idempotency key: a redelivery is applied once. A message SQS should deliver again (store
// unavailable, conflicts outlasting the retries) is a batch item failure; an invalid one or a domain refusal is
// logged and deleted, never retried. The actor is the message's (`actor`), else SQS_SERVICE_ACTOR.
//
// Try it on your machine, on the memory store:  npx tsx examples/sqs-commands.ts
import { pathToFileURL } from 'node:url';
import { sqsCommandHandler, sqsCommandHandlerFrom, type SqsEvent, type SqsRecord } from 'event-sourcing-core/lambda';

export const handler = sqsCommandHandler;

const message = (messageId: string, body: unknown): SqsRecord => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body: JSON.stringify(body),
  attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()) },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:commands',
  awsRegion: 'eu-west-1',
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // Each message's outcome is printed as a JSON line, as CloudWatch Logs would receive it.
  const local = sqsCommandHandlerFrom({ ...process.env, STORE: 'memory', SQS_SERVICE_ACTOR: 'example' });
  try {
    const shippingAddress = { line1: '1 Road', city: 'London', postalCode: 'SW1Y 4LB', country: 'GB' };
    const lines = [{ sku: 'SKU-1', quantity: 2, unitPrice: 1999 }];
    const placeOrder = { command: 'PlaceOrder', input: { orderId: 'o-1', customerId: 'c-1', currency: 'EUR', lines, shippingAddress }, actor: 'checkout' };
    const batch: SqsEvent = {
      Records: [
        message('m-1', { command: 'RegisterCustomer', input: { customerId: 'c-1', personal: { name: 'Ada', email: 'ada@example.com', address: '1 Road' } } }),
        message('m-2', placeOrder),
        message('m-2', placeOrder), // the same message delivered again: answered with the first outcome, nothing appended
        message('m-3', { command: 'ShipEverything', input: {} }), // refused: names the commands accepted
      ],
    };
    const { batchItemFailures } = await local(batch);
    console.log(`to deliver again: ${JSON.stringify(batchItemFailures)}`);
  } finally {
    await local.close();
  }
}
