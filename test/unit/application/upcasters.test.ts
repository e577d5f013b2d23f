import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../src/application/events/envelope.js';
import { domainUpcasters } from '../../../src/application/upcasting/domain-upcasters.js';
import { UpcasterRegistry } from '../../../src/application/upcasting/upcaster-registry.js';
import { anEvent } from '../../support/event-mother.js';

const stored = (type: string, schemaVersion: number, data: Record<string, unknown>): EventEnvelope => ({
  ...anEvent({ type, schemaVersion, data }),
  eventId: randomUUID(),
  streamId: 'Order-1',
  version: 1,
  recordedAt: '2026-01-01T10:00:00.000Z',
  globalPosition: 1,
});

const v1Order = { customerId: 'customer-1', lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 1250 }], totalAmount: 2500, shippingAddress: { line1: '1 Main St' } };

describe('domain upcasters', () => {
  const upcasters = domainUpcasters();

  it('writes OrderCreated at v3 and PaymentProcessed at v2', () => {
    expect([upcasters.currentVersion('OrderCreated'), upcasters.currentVersion('PaymentProcessed'), upcasters.currentVersion('OrderShipped')]).toEqual([3, 2, 1]);
  });

  it('raises OrderCreated v1 to v3: dollars, untaxed', () => {
    const event = upcasters.upcast(stored('OrderCreated', 1, v1Order));
    expect(event.schemaVersion).toBe(3);
    expect(event.data).toEqual({ ...v1Order, currency: 'USD', taxAmount: 0, taxRate: 0 });
  });

  it('raises OrderCreated v2 to v3 keeping its currency', () => {
    const event = upcasters.upcast(stored('OrderCreated', 2, { ...v1Order, currency: 'EUR' }));
    expect(event.data).toEqual({ ...v1Order, currency: 'EUR', taxAmount: 0, taxRate: 0 });
  });

  it('raises PaymentProcessed v1 to v2, keeping only the gateway reference', () => {
    const raw = { transactionId: 'txn-1', gatewayResponse: { reference: 'gw-1', code: '00', authCode: 'A1B2' } };
    const event = upcasters.upcast(stored('PaymentProcessed', 1, raw));
    expect(event).toMatchObject({ schemaVersion: 2, data: { transactionId: 'txn-1', gatewayReference: 'gw-1' } });
    expect(event.data).not.toHaveProperty('gatewayResponse');
  });

  it('gives a null reference when the v1 response had none', () => {
    expect(upcasters.upcast(stored('PaymentProcessed', 1, { transactionId: 'txn-1', gatewayResponse: { code: '05' } })).data).toEqual({
      transactionId: 'txn-1',
      gatewayReference: null,
    });
    expect(upcasters.upcast(stored('PaymentProcessed', 1, { transactionId: 'txn-1' })).data).toEqual({ transactionId: 'txn-1', gatewayReference: null });
  });

  it('leaves current events and the stored original untouched', () => {
    const current = stored('OrderCreated', 3, { ...v1Order, currency: 'EUR', taxAmount: 0, taxRate: 0 });
    expect(upcasters.upcast(current)).toBe(current);
    const old = stored('OrderCreated', 1, v1Order);
    upcasters.upcast(old);
    expect(old).toMatchObject({ schemaVersion: 1, data: v1Order });
  });

  it('refuses an event newer than the code knows', () => {
    expect(() => upcasters.upcast(stored('OrderCreated', 4, {}))).toThrow(/newer than this code knows/);
  });
});

describe('UpcasterRegistry', () => {
  it('refuses a chain with a missing step', () => {
    const registry = new UpcasterRegistry().register('Thing', 2, (data) => data);
    expect(() => registry.upcast(stored('Thing', 1, {}))).toThrow(/no upcaster for Thing from v1 to v2/);
  });

  it('refuses two upcasters for the same step', () => {
    const registry = new UpcasterRegistry().register('Thing', 1, (data) => data);
    expect(() => registry.register('Thing', 1, (data) => data)).toThrow(/already registered/);
  });
});
