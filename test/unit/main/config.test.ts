import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/main/config.js';
import { createContainer } from '../../../src/main/container.js';
import { TOKENS } from '../../../src/main/tokens.js';
import { Order } from '../../../src/domain/index.js';

const placeAnOrder = async (cacheSize: string) => {
  const container = await createContainer(loadConfig({ AGGREGATE_CACHE_SIZE: cacheSize }, { store: 'memory' }));
  const orderId = randomUUID();
  const address = { line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4LB', country: 'GB' };
  const context = { metadata: { correlationId: 'c', causationId: null, actor: 'test' } };
  const personal = { name: 'Ada Lovelace', email: 'ada@example.com', address: '12 St James Square, London' };
  (await container.get(TOKENS.CustomerCommands).handle({ type: 'RegisterCustomer', customerId: 'c-1', personal }, context))._unsafeUnwrap();
  const order = { orderId, customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 100 }], shippingAddress: address };
  (await container.get(TOKENS.OrderCommands).handle({ type: 'PlaceOrder', ...order }, context))._unsafeUnwrap();
  return container.get(TOKENS.Repository).cached(Order, orderId);
};

describe('AGGREGATE_CACHE_SIZE', () => {
  it('caches 10,000 aggregates unless told otherwise, and 0 turns the cache off', async () => {
    expect(loadConfig({}, { store: 'memory' }).aggregateCacheSize).toBe(10_000);
    expect(loadConfig({ AGGREGATE_CACHE_SIZE: '0' }, { store: 'memory' }).aggregateCacheSize).toBe(0);
    expect((await placeAnOrder('10'))?.version).toBe(1);
    expect(await placeAnOrder('0')).toBeNull();
  });

  it.each(['-1', 'lots', '1e4', '2.5', '', '10000000000'])('refuses %j, naming what it accepts', (value) => {
    expect(() => loadConfig({ AGGREGATE_CACHE_SIZE: value }, { store: 'memory' })).toThrow(ConfigError);
    expect(() => loadConfig({ AGGREGATE_CACHE_SIZE: value }, { store: 'memory' })).toThrow(/AGGREGATE_CACHE_SIZE must be a whole number of aggregates from 0 \(no cache\)/);
  });
});
