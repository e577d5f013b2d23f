import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asRole } from '../support/auth-tokens.js';
import { startInProcess, type InProcessService } from './support/in-process-service.js';
import { registerBody, walkthroughIds } from './support/walkthrough.js';

describe('POST /customers/{id}/erasure over HTTP', () => {
  let server: InProcessService;
  const ids = walkthroughIds('erase-http');

  beforeAll(async () => {
    server = await startInProcess();
    expect((await server.api.post('/customers', registerBody(ids))).status).toBe(201);
  });

  afterAll(async () => {
    await server?.service.stop();
  });

  it('is the operator\'s alone, erases once, and the customer then reads as erased with their chain intact', async () => {
    const path = `/customers/${ids.customerId}/erasure`;
    expect((await server.api.as(asRole('support')).post(path, undefined)).status).toBe(403);
    expect((await server.api.get(`/aggregates/customer/${ids.customerId}`)).body).toMatchObject({ state: { personal: { name: 'Ada Lovelace' } } });

    const operator = server.api.as(asRole('operator'));
    expect(await operator.post(path, undefined)).toMatchObject({ status: 200, body: { eventTypes: ['CustomerErased'] } });
    expect(await operator.post(path, undefined)).toMatchObject({ status: 409, body: { code: 'CUSTOMER.ALREADY_ERASED' } });
    expect(await operator.post('/customers/nobody-here/erasure', undefined)).toMatchObject({ status: 404, body: { code: 'CUSTOMER.NOT_FOUND' } });

    const after = await server.api.get(`/aggregates/customer/${ids.customerId}`);
    expect(after.body).toMatchObject({ state: { personal: null, erasedAt: expect.any(String) } });
    expect(JSON.stringify((await server.api.get(`/aggregates/customer/${ids.customerId}/events`)).body)).not.toContain('Ada Lovelace');
    expect((await operator.get(`/aggregates/customer/${ids.customerId}/verification`)).body).toMatchObject({ verified: true });
  });
});
