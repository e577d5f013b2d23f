import { describe, expect, it } from 'vitest';
import { Customer, decideCustomer, ERASED, type CustomerEvent, type EraseCustomer } from '../../../src/domain/index.js';
import { deciderSpec } from '../../support/decider-spec.js';
import { anInteraction, aRegisteredCustomer, changeDetails, CUSTOMER_NOW as NOW } from '../mothers/customer-mother.js';

const spec = deciderSpec(Customer, decideCustomer);
const erase: EraseCustomer = { type: 'EraseCustomer', customerId: 'customer-1', now: NOW };
const erasedAt = '2026-03-03T00:00:00.000Z';
const anErasedCustomer = (): CustomerEvent[] => [...aRegisteredCustomer(), { type: 'CustomerErased', occurredAt: erasedAt, data: {} }];

describe('Customer erasure (GDPR)', () => {
  it('records the erasure, after which the state holds no personal data and contacts read as erased', () => {
    const contact: CustomerEvent = { type: 'SupportInteractionRecorded', occurredAt: NOW, data: { interactionId: 'i-1', channel: 'PHONE', summary: 'call back', agent: 'bob', orderId: null } };
    const state = spec
      .given([...aRegisteredCustomer(), contact])
      .when(erase)
      .then([{ type: 'CustomerErased', occurredAt: NOW, data: {} }]);
    expect(state).toMatchObject({ registered: true, personal: null, erasedAt: NOW });
    expect(state.interactions.map((interaction) => interaction.summary)).toEqual([ERASED]);
  });

  it('refuses a second erasure, naming the first', () => {
    const error = spec.given(anErasedCustomer()).when(erase).thenFailsWith('CUSTOMER.ALREADY_ERASED');
    expect(error.details).toEqual({ erasedAt });
  });

  it('refuses to erase a customer never registered', () => {
    spec.given([]).when(erase).thenFailsWith('CUSTOMER.NOT_REGISTERED');
  });

  it('records nothing more about an erased customer', () => {
    spec.given(anErasedCustomer()).when(changeDetails({ name: 'Ada King' })).thenFailsWith('CUSTOMER.ERASED');
    spec.given(anErasedCustomer()).when(anInteraction()).thenFailsWith('CUSTOMER.ERASED');
  });
});
