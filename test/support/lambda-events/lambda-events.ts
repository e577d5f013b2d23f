import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApiGatewayHttpEvent } from '../../../src/adapters/lambda/api-gateway-http.js';
import type { SqsEvent, SqsRecord } from '../../../src/adapters/sqs/sqs-events.js';

/** Events as captured from API Gateway and SQS (ids and ARNs made up): each built below is one of these, changed where a request differs. */
const captured = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, import.meta.url), 'utf8')) as T;
const HTTP_EVENT = captured<ApiGatewayHttpEvent>('./api-gateway-http-event.json');
const SQS_RECORD = captured<SqsEvent>('./sqs-event.json').Records[0] as SqsRecord;

export interface HttpRequest {
  readonly method: string;
  /** With the query string, as a client writes it: `/orders/o-1?asOf=...`. */
  readonly url: string;
  /** Any case: API Gateway lower-cases names; a list is a repeated header, which it joins with commas. */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly cookies?: readonly string[];
  /** JSON for an object; a string or bytes as they are. */
  readonly body?: unknown;
  /** `$default` unless named: a named stage's events carry it at the start of rawPath. */
  readonly stage?: string;
}

/** What API Gateway sends as text rather than base64 (it base64-encodes any other body). */
const TEXT_TYPES = /^(text\/|application\/(json|xml|x-www-form-urlencoded))/;

/** An HTTP API event (payload format 2.0) for the request, built the way API Gateway builds it. */
export const httpEvent = (request: HttpRequest): ApiGatewayHttpEvent => {
  const [path = '/', query = ''] = request.url.split(/\?(.*)/s);
  const stage = request.stage ?? '$default';
  const rawPath = stage === '$default' ? path : `/${stage}${path}`;
  const headers: Record<string, string> = { ...HTTP_EVENT.headers };
  delete headers['content-type'];
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = [value].flat().join(',');
  const bytes =
    request.body === undefined ? null : Buffer.isBuffer(request.body) ? request.body : Buffer.from(typeof request.body === 'string' ? request.body : JSON.stringify(request.body));
  if (bytes !== null && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  headers['content-length'] = String(bytes?.length ?? 0);
  const text = TEXT_TYPES.test(headers['content-type'] ?? '');
  const queryStringParameters = query === '' ? undefined : groupedQuery(query);
  return {
    ...HTTP_EVENT,
    rawPath,
    rawQueryString: query,
    headers,
    ...(request.cookies === undefined ? {} : { cookies: request.cookies }),
    ...(queryStringParameters === undefined ? {} : { queryStringParameters }),
    requestContext: {
      ...HTTP_EVENT.requestContext,
      stage,
      requestId: randomUUID().slice(0, 16),
      http: { ...HTTP_EVENT.requestContext.http, method: request.method, path: rawPath },
    },
    ...(bytes === null ? {} : { body: text ? bytes.toString('utf8') : bytes.toString('base64') }),
    isBase64Encoded: bytes !== null && !text,
  };
};

/** `a=1&a=2` as API Gateway gives it in queryStringParameters: `{ a: '1,2' }`. */
const groupedQuery = (query: string): Record<string, string> => {
  const grouped: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(query)) (grouped[name] ??= []).push(value);
  return Object.fromEntries(Object.entries(grouped).map(([name, values]) => [name, values.join(',')]));
};

export interface QueueMessage {
  /** Made up when absent; give the same one again for a redelivery. */
  readonly messageId?: string;
  /** JSON for an object; a string as it is. */
  readonly body: unknown;
  /** String attributes. */
  readonly attributes?: Readonly<Record<string, string>>;
  /** How many times SQS has handed it out, this time included. */
  readonly receiveCount?: number;
}

/** An SQS event source mapping's batch of these messages, as Lambda builds it. */
export const sqsEvent = (messages: readonly QueueMessage[], queueArn = SQS_RECORD.eventSourceARN): SqsEvent => ({
  Records: messages.map((message) => {
    const body = typeof message.body === 'string' ? message.body : JSON.stringify(message.body);
    return {
      ...SQS_RECORD,
      messageId: message.messageId ?? randomUUID(),
      receiptHandle: Buffer.from(randomUUID()).toString('base64'),
      body,
      md5OfBody: createHash('md5').update(body).digest('hex'),
      attributes: { ...SQS_RECORD.attributes, ApproximateReceiveCount: String(message.receiveCount ?? 1), SentTimestamp: String(Date.now()) },
      messageAttributes: Object.fromEntries(
        Object.entries(message.attributes ?? {}).map(([name, value]) => [name, { stringValue: value, stringListValues: [], binaryListValues: [], dataType: 'String' }]),
      ),
      eventSourceARN: queueArn,
    };
  }),
});
