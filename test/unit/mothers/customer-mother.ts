import type { ChangeCustomerDetails, CustomerEvent, PersonalDetails, RecordSupportInteraction, RegisterCustomer } from '../../../src/domain/index.js';

const CUSTOMER_REGISTERED_AT = '2026-03-01T08:00:00.000Z';
export const CUSTOMER_NOW = '2026-03-02T10:00:00.000Z';

export const adasDetails = (): PersonalDetails => ({ name: 'Ada Lovelace', email: 'ada@example.com', address: '12 St James Square, London' });

export const aRegisteredCustomer = (): CustomerEvent[] => [{ type: 'CustomerRegistered', occurredAt: CUSTOMER_REGISTERED_AT, data: { personal: adasDetails() } }];

export const register = (personal: PersonalDetails = adasDetails()): RegisterCustomer => ({ type: 'RegisterCustomer', customerId: 'customer-1', personal, now: CUSTOMER_NOW });

export const changeDetails = (personal: Partial<PersonalDetails>): ChangeCustomerDetails => ({
  type: 'ChangeCustomerDetails',
  customerId: 'customer-1',
  personal,
  now: CUSTOMER_NOW,
});

export const anInteraction = (overrides: Partial<RecordSupportInteraction> = {}): RecordSupportInteraction => ({
  type: 'RecordSupportInteraction',
  customerId: 'customer-1',
  interactionId: 'interaction-1',
  channel: 'EMAIL',
  summary: 'asked where the parcel is',
  agent: 'agent-7',
  orderId: 'order-1',
  now: CUSTOMER_NOW,
  ...overrides,
});
