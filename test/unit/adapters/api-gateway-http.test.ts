import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerHttpEvent } from '../../../src/adapters/lambda/api-gateway-http.js';
import { httpEvent } from '../../support/lambda-events/lambda-events.js';

/** What the translation hands fastify and takes back, seen from a route that echoes the request and sets cookies. */
describe('API Gateway HTTP API events through fastify', () => {
  const server = Fastify();

  beforeAll(async () => {
    server.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    server.all('/echo/*', async (request, reply) => {
      reply.header('set-cookie', ['session=abc; HttpOnly', 'theme=dark']);
      reply.header('vary', ['accept', 'accept-encoding']);
      const body = Buffer.isBuffer(request.body) ? [...request.body] : request.body;
      return { method: request.method, url: request.url, query: request.query, headers: request.headers, body, ip: request.ip };
    });
    server.get('/bytes', async (_request, reply) => reply.type('image/png').send(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff])));
    await server.ready();
  });

  afterAll(async () => {
    await server.close();
  });

  it('hands over the path without the stage, the raw query string, every header, the cookies and the caller', async () => {
    const event = httpEvent({ method: 'PATCH', url: '/echo/a%20b?tag=x&tag=y&q=%C3%A9', stage: 'prod', headers: { 'X-Forwarded-Host': ['one', 'two'] }, cookies: ['a=1', 'b=2'], body: { hello: 'world' } });
    expect(event.rawPath).toBe('/prod/echo/a%20b');
    const result = await answerHttpEvent(server, event);
    const echoed = JSON.parse(result.body);
    expect(echoed).toMatchObject({
      method: 'PATCH',
      url: '/echo/a%20b?tag=x&tag=y&q=%C3%A9',
      query: { tag: ['x', 'y'], q: 'é' },
      headers: { 'x-forwarded-host': 'one,two', cookie: 'a=1; b=2', 'content-type': 'application/json' },
      body: { hello: 'world' },
      ip: '203.0.113.17',
    });
  });

  it('decodes a base64 body to the bytes sent', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const event = httpEvent({ method: 'POST', url: '/echo/bin', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    expect(event).toMatchObject({ isBase64Encoded: true, body: bytes.toString('base64') });
    expect(JSON.parse((await answerHttpEvent(server, event)).body).body).toEqual([...bytes]);
  });

  it('answers each Set-Cookie in cookies, repeated headers joined, and a binary body in base64', async () => {
    const result = await answerHttpEvent(server, httpEvent({ method: 'GET', url: '/echo/x' }));
    expect(result).toMatchObject({ statusCode: 200, isBase64Encoded: false, cookies: ['session=abc; HttpOnly', 'theme=dark'], headers: { vary: 'accept, accept-encoding' } });
    expect(result.headers['set-cookie']).toBeUndefined();
    const binary = await answerHttpEvent(server, httpEvent({ method: 'GET', url: '/bytes' }));
    expect(binary).toMatchObject({ statusCode: 200, isBase64Encoded: true, headers: { 'content-type': 'image/png' } });
    expect([...Buffer.from(binary.body, 'base64')]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    expect(binary.cookies).toBeUndefined();
  });

  it('keeps a path that only looks like the stage, and the root of a named stage', async () => {
    // Stage `ech`: `/echo/x` starts with the stage's name but not with its path segment, so nothing is stripped.
    const lookalike = await answerHttpEvent(server, { ...httpEvent({ method: 'GET', url: '/echo/x', stage: 'ech' }), rawPath: '/echo/x' });
    expect(lookalike.statusCode).toBe(200);
    expect(JSON.parse(lookalike.body).url).toBe('/echo/x');
    const onStage = httpEvent({ method: 'GET', url: '/echo/x', stage: 'prodx' });
    expect(JSON.parse((await answerHttpEvent(server, onStage)).body).url).toBe('/echo/x');
  });
});
