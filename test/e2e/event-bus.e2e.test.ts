import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBridgeFake } from '../support/eventbridge-fake/eventbridge-fake.js';
import { apiClient, eventually } from './support/api-client.js';
import { startServiceProcess, type ServiceProcess } from './support/service-process.js';

const BUS = 'orders-bus';
const AWS = { AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };

describe('the service publishes committed events to EventBridge', () => {
  let bus: EventBridgeFake;
  let service: ServiceProcess;

  beforeAll(async () => {
    bus = await EventBridgeFake.start({ buses: [BUS] });
    service = await startServiceProcess({ STORE: 'memory', EVENT_BUS_NAME: BUS, EVENTBRIDGE_ENDPOINT: bus.endpoint, EVENT_SOURCE: 'es-core.test', ...AWS });
  });

  afterAll(async () => {
    await service?.stop();
    await bus?.close();
  });

  it('relays what a command committed, with the envelope as detail', async () => {
    const api = apiClient(service.url);
    const registered = await api.post('/customers', { customerId: 'bus-c1', personal: { name: 'Ada', email: 'ada@example.com', address: '1 Road' } }, { 'x-correlation-id': 'bus-1' });
    expect(registered.status).toBe(201);
    const [event] = await eventually(async () => {
      const delivered = bus.delivered(BUS);
      expect(delivered).toHaveLength(1);
      return delivered;
    });
    expect(event).toMatchObject({ source: 'es-core.test', detailType: 'CustomerRegistered', detail: { streamId: 'Customer-bus-c1', version: 1, metadata: { correlationId: 'bus-1' } } });
    expect(service.output()).toContain(`publishing committed events to EventBridge bus ${BUS}`);
    expect(event).toMatchObject({ detail: { schemaVersion: 1, storedSchemaVersion: 1 } });
  });

  it('reports the relay in /health, and degrades while the bus fails', async () => {
    const api = apiClient(service.url);
    const health = await api.get('/health');
    expect(health.body).toMatchObject({ status: 'ok', relay: { state: 'running', retries: 0, lastError: null } });
    bus.failCalls({ status: 500, type: 'InternalException', times: 1_000 });
    await api.post('/customers', { customerId: 'bus-c2', personal: { name: 'Ada', email: 'ada@example.com', address: '1 Road' } });
    await eventually(async () => expect((await api.get('/health')).body).toMatchObject({ status: 'degraded', relay: { state: 'retrying' } }));
    bus.reset();
    await eventually(async () => expect(bus.delivered(BUS).map((e) => (e.detail as { streamId: string }).streamId)).toContain('Customer-bus-c2'));
    await eventually(async () => expect((await api.get('/health')).body).toMatchObject({ status: 'ok', relay: { state: 'running' } }));
  });

  it('refuses to start when the bus does not exist, rather than publish into nothing', async () => {
    await expect(startServiceProcess({ STORE: 'memory', EVENT_BUS_NAME: 'no-such-bus', EVENTBRIDGE_ENDPOINT: bus.endpoint, ...AWS })).rejects.toThrow(/EVENT_BUS.NOT_FOUND/);
  });
});
