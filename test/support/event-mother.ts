import { randomUUID } from 'node:crypto';
import type { EventMetadata, NewEvent } from '../../src/application/events/envelope.js';

export const metadata = (overrides: Partial<EventMetadata> = {}): EventMetadata => ({
  correlationId: randomUUID(),
  causationId: null,
  actor: 'test',
  ...overrides,
});

/** An ~300-byte OrderCreated-like event; the store assigns its id. */
export const anEvent = (overrides: Partial<NewEvent> = {}): NewEvent => ({
  type: 'OrderCreated',
  schemaVersion: 3,
  data: {
    customerId: 'customer-1',
    lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 1250 }],
    currency: 'EUR',
    totalAmount: 2500,
    taxAmount: 0,
    taxRate: 0,
    shippingAddress: { line1: '1 Main Street', city: 'Lisbon', postalCode: '1000-001', country: 'PT' },
  },
  metadata: metadata(),
  occurredAt: '2026-01-01T10:00:00.000Z',
  ...overrides,
});

export const events = (count: number, overrides: Partial<NewEvent> = {}): NewEvent[] => Array.from({ length: count }, () => anEvent(overrides));

export const aStreamId = (prefix = 'Order'): string => `${prefix}-${randomUUID()}`;
