import type { PersonalDetails, ShippingAddress } from '../../src/domain/index.js';

/** Test data as the business speaks of it: whatever a scenario does not spell out. */
export const anAddress = (): ShippingAddress => ({ line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4LB', country: 'GB' });

export const personalDetailsOf = (name: string): PersonalDetails => ({
  name: `${name} Lovelace`,
  email: `${name.toLowerCase()}@example.com`,
  address: `1 ${name} Lane, London`,
});

export const A_PROVIDER_TOKEN = 'tok_visa_4242';

/** What a scenario's order costs when it names no price. */
export const DEFAULT_UNIT_PRICE = { unitPrice: 1999, currency: 'EUR' } as const;
