import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpServer } from '../../src/adapters/http/http-server.js';
import { withRedaction } from '../../src/adapters/http/log-redaction.js';
import { PrometheusMetrics } from '../../src/adapters/metrics/prometheus-metrics.js';
import { appFrom, type App } from '../../src/main/app.js';
import { loadConfig } from '../../src/main/config.js';
import { createContainer } from '../../src/main/container.js';
import { bearer, testAuthConfig, testHttpAuth } from '../support/auth-tokens.js';

/** Headers that are stored or logged, and the log itself: a card number never reaches either. */
describe('card numbers in headers and in the log', () => {
  const lines: string[] = [];
  let app: App;
  let server: FastifyInstance;
  let headers: { authorization: string };

  beforeAll(async () => {
    app = appFrom(await createContainer(loadConfig({}, { store: 'memory', auth: testAuthConfig(), fulfilment: 'manual' })));
    server = await buildHttpServer({ services: app, metrics: new PrometheusMetrics(), auth: await testHttpAuth(), logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } } });
    headers = await bearer();
  });

  afterAll(async () => {
    await server?.close();
    await app?.close();
  });

  it.each(['x-correlation-id', 'x-causation-id', 'idempotency-key', 'x-actor'])(
    'refuses a card number in %s with 400 VALIDATION.CARD_NUMBER naming the header, before it becomes the request id or is logged',
    async (name) => {
      lines.length = 0;
      const response = await server.inject({ method: 'POST', url: '/inventory/SKU-1/receive', payload: { quantity: 1 }, headers: { ...headers, [name]: '4111-1111-1111-1111' } });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION.CARD_NUMBER', details: { field: `header.${name}` } });
      expect(response.headers['x-correlation-id']).not.toContain('4111');
      expect(response.body + lines.join('')).not.toMatch(/4111.?1111/);
      expect(lines.length).toBeGreaterThan(0);
    },
  );

  it('logs a path holding a card number masked, percent-escapes decoded first, and answers 404s without echoing it', async () => {
    lines.length = 0;
    await server.inject({ method: 'GET', url: '/orders/4111%201111%201111%201111', headers });
    const read = await server.inject({ method: 'GET', url: '/orders/4111111111111111', headers });
    expect(read.statusCode).toBe(404);
    expect(read.body).not.toContain('4111111111111111');
    const notFound = await server.inject({ method: 'GET', url: '/no-such/4111111111111111', headers });
    expect(notFound.body).not.toContain('4111111111111111');
    expect(notFound.body).toContain('[card number ending 1111]');
    const logged = lines.join('');
    expect(logged).toContain('/orders/[card number ending 1111]');
    expect(logged).not.toMatch(/4111(%20| )?1111(%20| )?1111/);
  });

  it('redacts authorisation headers and personal fields wherever a log call puts them', async () => {
    const captured: string[] = [];
    const bare = Fastify({ logger: withRedaction({ level: 'info', stream: { write: (line: string) => captured.push(line) } }) });
    bare.log.info({ req: { headers: { authorization: 'Bearer secret-token', cookie: 'sid=1' } }, command: { personal: { name: 'Ada Lovelace' }, shippingAddress: { line1: '12 St James Square' }, reason: 'said her card is 4111' } }, 'a command');
    bare.log.info({ headers: { authorization: 'Basic c2VjcmV0' }, email: 'ada@example.com' }, 'another');
    bare.log.error({ err: new Error('value 4111 1111 1111 1111 refused') }, 'a driver error');
    await bare.close();
    const logged = captured.join('');
    for (const secret of ['secret-token', 'sid=1', 'Ada Lovelace', 'St James', 'said her card', 'c2VjcmV0', 'ada@example.com', '4111 1111']) expect(logged).not.toContain(secret);
    expect(logged).toContain('[redacted]');
    expect(logged).toContain('value [card number ending 1111] refused');
  });
});
