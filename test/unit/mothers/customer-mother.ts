import type { CustomerEvent, PersonalDetails } from '../../../src/domain/index.js';

const CUSTOMER_REGISTERED_AT = '2026-03-01T08:00:00.000Z';

export const adasDetails = (): PersonalDetails => ({ name: 'Ada Lovelace', email: 'ada@example.com', address: '12 St James Square, London' });

export const aRegisteredCustomer = (): CustomerEvent[] => [{ type: 'CustomerRegistered', occurredAt: CUSTOMER_REGISTERED_AT, data: { personal: adasDetails() } }];
