// The service's HTTP API as an AWS Lambda function behind an API Gateway HTTP API (payload format 2.0): the same
// routes, validation, access control and error table as `npm start`, one server per Lambda container.
//
// Deploy: bundle this file and point the function's handler at its `handler` export. Configure it like the service
// (STORE=dynamodb, DYNAMODB_TABLE_PREFIX, AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE, ...). It runs no consumers:
// the stream Lambda (`streamHandler`) keeps the read models and the order-fulfilment workflow going.
//
// Try it on your machine, on the memory store, with events shaped as API Gateway shapes them:
//   TOKEN=$(npm run -s cli -- token --role service,support --subject demo) npx tsx examples/lambda-http.ts
import { pathToFileURL } from 'node:url';
import { httpHandler, httpHandlerFrom, type ApiGatewayHttpEvent } from 'event-sourcing-core/lambda';

export const handler = httpHandler;

const event = (method: string, path: string, body?: unknown): ApiGatewayHttpEvent => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: path,
  rawQueryString: '',
  headers: { 'content-type': 'application/json', ...(process.env.TOKEN ? { authorization: `Bearer ${process.env.TOKEN}` } : {}) },
  requestContext: {
    accountId: '123456789012',
    apiId: 'local',
    domainName: 'localhost',
    domainPrefix: 'localhost',
    requestId: `r-${Date.now()}`,
    routeKey: '$default',
    stage: '$default',
    time: new Date().toUTCString(),
    timeEpoch: Date.now(),
    http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'examples/lambda-http.ts' },
  },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  isBase64Encoded: false,
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const local = httpHandlerFrom({ ...process.env, STORE: 'memory', LOG_LEVEL: 'silent' });
  try {
    const shippingAddress = { line1: '1 Road', city: 'London', postalCode: 'SW1Y 4LB', country: 'GB' };
    const lines = [{ sku: 'SKU-1', quantity: 2, unitPrice: 1999 }];
    const requests = [
      event('POST', '/customers', { customerId: 'c-1', personal: { name: 'Ada', email: 'ada@example.com', address: '1 Road' } }),
      event('POST', '/inventory/SKU-1/receive', { quantity: 10 }),
      event('POST', '/orders', { orderId: 'o-1', customerId: 'c-1', currency: 'EUR', lines, shippingAddress }),
      event('GET', '/aggregates/order/o-1'),
      event('POST', '/orders', { orderId: 'not valid!' }), // 400, every problem named
    ];
    // Without TOKEN every answer is 401 AUTH.UNAUTHENTICATED, in the same problem shape.
    for (const request of requests) {
      const answer = await local(request);
      console.log(`${request.requestContext.http.method} ${request.rawPath} -> ${answer.statusCode} ${answer.body.slice(0, 160)}`);
    }
  } finally {
    await local.close();
  }
}
