import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateSigningKey } from '../../src/adapters/auth/local-signing-key.js';
import { asCustomer, asRole, STAFF, TEST_SIGNING_KEY_FILE, testAuthConfig, tokenFor } from '../support/auth-tokens.js';
import { apiClient, type Api } from './support/api-client.js';
import { startInProcess, type InProcessService } from './support/in-process-service.js';
import { runCli } from './support/instances.js';
import { placeOrderBody, registerBody, walkthroughIds } from './support/walkthrough.js';

/** A problem answer: the same shape as every other refusal, nothing more. */
const problem = (code: string) => ({ code, message: expect.any(String) });

describe('bearer tokens and roles over HTTP', () => {
  let server: InProcessService;
  let api: Api;
  const ada = walkthroughIds('auth-ada');
  const bob = walkthroughIds('auth-bob');

  beforeAll(async () => {
    server = await startInProcess(undefined, { fulfilment: 'manual' });
    api = server.api;
    for (const ids of [ada, bob]) expect((await api.post('/customers', registerBody(ids))).status).toBe(201);
    expect((await api.post(`/inventory/${ada.sku}/receive`, { quantity: 10 })).status).toBe(200);
  });

  afterAll(async () => {
    await server?.service.stop();
  });

  it('answers a request without a token 401 with a challenge, in the problem shape, and stores nothing', async () => {
    const before = await server.head();
    const response = await api.as(null).post(`/inventory/${ada.sku}/receive`, { quantity: 1 });
    expect(response).toMatchObject({ status: 401, body: problem('AUTH.UNAUTHENTICATED') });
    expect(Object.keys(response.body).sort()).toEqual(['code', 'message']);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="es-core"');
    expect(await server.head()).toBe(before);
    // fastify answers HEAD for every GET route: it is guarded as the GET is.
    expect((await fetch(`${server.service.url}/inventory/${ada.sku}`, { method: 'HEAD' })).status).toBe(401);
  });

  it('refuses a token with a bad signature, an expired one, and one for another audience, each 401 saying why', async () => {
    const path = `/aggregates/inventory/${ada.sku}`;
    const stranger = await loadOrCreateSigningKey(join(mkdtempSync(join(tmpdir(), 'es-stranger-')), 'key.jwk'));
    const cases = {
      forged: await tokenFor(STAFF, { signingKey: stranger }),
      expired: await tokenFor(STAFF, { ttlSeconds: 60, now: new Date(Date.now() - 3_600_000) }),
      elsewhere: await tokenFor(STAFF, { audience: 'another-api' }),
      garbage: 'not.a.jwt',
    };
    const answers = Object.fromEntries(
      await Promise.all(Object.entries(cases).map(async ([name, token]) => [name, await api.get(path, { authorization: `Bearer ${token}` })] as const)),
    );
    for (const response of Object.values(answers)) {
      expect(response).toMatchObject({ status: 401, body: problem('AUTH.UNAUTHENTICATED') });
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="es-core", error="invalid_token", error_description="/);
    }
    expect(answers.forged?.body.message).toBe('the token signature does not verify');
    expect(answers.expired?.body.message).toBe('the token expired');
    expect(answers.elsewhere?.body.message).toMatch(/aud/);
    expect((await api.get(path, { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` })).status).toBe(401);
    expect((await api.get(path)).status).toBe(200);
  });

  it("answers a role the route does not grant 403 with the roles it needs", async () => {
    const customer = api.as(asCustomer(ada.customerId));
    const refused = await customer.post(`/inventory/${ada.sku}/receive`, { quantity: 1 });
    expect(refused).toMatchObject({ status: 403, body: problem('AUTH.FORBIDDEN') });
    expect(refused.body.message).toContain('service');
    expect(refused.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
    expect(await api.as(asRole('support')).post('/orders', placeOrderBody(ada))).toMatchObject({ status: 403, body: problem('AUTH.FORBIDDEN') });
    expect(await api.as(asRole('service')).get('/projections')).toMatchObject({ status: 403 });
    expect(await api.as(asRole('operator')).get(`/orders/${ada.orderId}`)).toMatchObject({ status: 403 });
    // A token whose roles this service does not know carries none.
    expect(await api.as({ subject: 'someone', roles: [] }).get(`/inventory/${ada.sku}`)).toMatchObject({ status: 403 });
  });

  it("lets a customer place and read their own order, and answers another customer's as if it did not exist", async () => {
    const customer = api.as(asCustomer(ada.customerId));
    expect(await customer.post('/orders', placeOrderBody(bob))).toMatchObject({ status: 403, body: problem('AUTH.FORBIDDEN') });
    expect((await customer.post('/orders', placeOrderBody(ada))).status).toBe(201);
    expect((await api.post('/orders', placeOrderBody(bob))).status).toBe(201);

    expect(await customer.get(`/orders/${ada.orderId}/fulfilment`)).toMatchObject({ status: expect.any(Number) });
    expect((await customer.get(`/aggregates/order/${ada.orderId}`)).body).toMatchObject({ id: ada.orderId, state: { customerId: ada.customerId } });
    const theirs = await customer.get(`/aggregates/order/${bob.orderId}`);
    const nobodys = await customer.get('/aggregates/order/no-such-order');
    expect(theirs).toMatchObject({ status: 404, body: { code: 'ORDER.NOT_FOUND' } });
    expect(theirs.body).toEqual({ ...nobodys.body, message: nobodys.body.message.replace('no-such-order', bob.orderId) });
    expect(await customer.get(`/orders/${bob.orderId}`)).toMatchObject({ status: 404, body: { code: 'ORDER.NOT_FOUND' } });
    expect(await customer.post(`/orders/${bob.orderId}/cancel`, { reason: 'not mine' })).toMatchObject({ status: 404, body: { code: 'ORDER.NOT_FOUND' } });
    // A customer id in the path is checked without reading anything: 403 tells nothing.
    expect(await customer.get(`/customers/${bob.customerId}/orders`)).toMatchObject({ status: 403, body: problem('AUTH.FORBIDDEN') });
    expect(await customer.get(`/aggregates/inventory/${ada.sku}`)).toMatchObject({ status: 403 });
    expect(await customer.get(`/aggregates/customer/${ada.customerId}`)).toMatchObject({ status: 200, body: { id: ada.customerId } });
    // Support reads everyone's.
    expect((await api.as(asRole('support')).get(`/aggregates/order/${bob.orderId}`)).status).toBe(200);
  });

  it("records the token's subject as the actor of every event, and refuses x-actor", async () => {
    const checkout = api.as(asRole('service', 'checkout-service'));
    expect((await checkout.post(`/inventory/${ada.sku}/receive`, { quantity: 2 })).status).toBe(200);
    const refused = await checkout.post(`/inventory/${ada.sku}/receive`, { quantity: 3 }, { 'x-actor': 'someone-else' });
    expect(refused).toMatchObject({ status: 400, body: { code: 'AUTH.ACTOR_HEADER_REFUSED', details: { field: 'headers.x-actor' } } });
    const trail = await api.get(`/aggregates/inventory/${ada.sku}/events`);
    expect(trail.body.events.map((e: { metadata: { actor: string } }) => e.metadata.actor)).toEqual([STAFF.subject, 'checkout-service']);
    const order = await api.get(`/aggregates/order/${ada.orderId}/events`);
    expect(order.body.events[0].metadata.actor).toBe(ada.customerId);
  });

  it('keeps /health open, metrics for operators, and the gateway webhook to its signature', async () => {
    const anonymous = api.as(null);
    expect((await anonymous.get('/health')).status).toBe(200);
    expect((await anonymous.get('/metrics')).status).toBe(401);
    expect((await api.as(asRole('operator')).get('/metrics')).status).toBe(200);
    expect((await anonymous.get('/openapi.json')).status).toBe(200);
    const webhook = await anonymous.post(`/payments/${ada.paymentId}/gateway-events`, { type: 'payment.succeeded' });
    expect(webhook).toMatchObject({ status: 401, body: { code: 'GATEWAY.SIGNATURE_INVALID' } });
  });

  it('mints a token with the CLI that the service accepts, from a key file only its user can read', async () => {
    const minted = await runCli(['token', '--role', 'customer', '--subject', ada.customerId, '--ttl', '10m'], { AUTH_SIGNING_KEY_FILE: TEST_SIGNING_KEY_FILE });
    expect(minted, minted.stderr).toMatchObject({ code: 0 });
    expect((await api.as({ token: minted.stdout.trim() }).get(`/orders/${ada.orderId}`)).status).toBe(200);
    expect((await stat(TEST_SIGNING_KEY_FILE)).mode & 0o777).toBe(0o600);
    const refused = await runCli(['token', '--role', 'admin', '--subject', 'x'], { AUTH_SIGNING_KEY_FILE: TEST_SIGNING_KEY_FILE });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('unknown role admin; roles: customer, support, operator, service');
  });
});

describe('tokens from an OIDC provider, verified against its JWKS', () => {
  const ISSUER = 'https://login.example.test/';
  const AUDIENCE = 'es-core-api';
  let jwks: Server;
  let jwksUrl: URL;
  let server: InProcessService | undefined;
  let sign: (claims: { sub: string; roles?: unknown; iss?: string }, kid?: string) => Promise<string>;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const published = { ...(await exportJWK(publicKey)), kid: 'provider-key-1', alg: 'ES256', use: 'sig' };
    jwks = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: request.url === '/jwks.json' ? [published] : [] }));
    });
    jwks.listen(0, '127.0.0.1');
    await once(jwks, 'listening');
    const address = jwks.address();
    jwksUrl = new URL(`http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/jwks.json`);
    sign = (claims, kid = 'provider-key-1') =>
      new SignJWT({ ...(claims.roles === undefined ? {} : { realm_access: { roles: claims.roles } }) })
        .setProtectedHeader({ alg: 'ES256', kid })
        .setSubject(claims.sub)
        .setIssuer(claims.iss ?? ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
    server = await startInProcess(undefined, {
      fulfilment: 'manual',
      auth: testAuthConfig({ jwksUrl, issuer: ISSUER, audience: AUDIENCE, rolesClaim: 'realm_access.roles' }),
    });
  });

  afterAll(async () => {
    await server?.service.stop();
    jwks?.close();
  });

  it("accepts the provider's tokens with the roles at the configured claim, and refuses others", async () => {
    const url = server?.service.url ?? '';
    const as = (token: string) => apiClient(url, { token });
    expect((await as(await sign({ sub: 'svc-1', roles: ['service', 'offline_access'] })).post('/inventory/SKU-oidc/receive', { quantity: 1 })).status).toBe(200);
    expect((await as(await sign({ sub: 'svc-1', roles: ['support'] })).get('/aggregates/inventory/SKU-oidc/events')).body.events[0].metadata.actor).toBe('svc-1');
    expect(await as(await sign({ sub: 'svc-1', roles: ['service'], iss: 'https://elsewhere.test/' })).post('/inventory/SKU-oidc/receive', { quantity: 1 })).toMatchObject({ status: 401 });
    expect(await as(await sign({ sub: 'svc-1', roles: ['service'] }, 'unknown-key')).post('/inventory/SKU-oidc/receive', { quantity: 1 })).toMatchObject({ status: 401 });
    // Tokens of the test key (not published by the provider) do not pass.
    expect((await apiClient(url).get('/aggregates/inventory/SKU-oidc')).status).toBe(401);
  });

  it('answers 503 with Retry-After when the provider keys cannot be fetched, not 401', async () => {
    const token = await sign({ sub: 'svc-2', roles: ['service'] });
    const down = await startInProcess(undefined, {
      fulfilment: 'manual',
      auth: testAuthConfig({ jwksUrl: new URL('http://127.0.0.1:9/jwks.json'), issuer: ISSUER, audience: AUDIENCE, rolesClaim: 'realm_access.roles' }),
    });
    try {
      const response = await apiClient(down.service.url, { token }).post('/inventory/SKU-oidc/receive', { quantity: 1 });
      expect(response).toMatchObject({ status: 503, body: problem('AUTH.KEYS_UNAVAILABLE') });
      expect(response.headers.get('retry-after')).toBe('5');
    } finally {
      await down.service.stop();
    }
  });
});
