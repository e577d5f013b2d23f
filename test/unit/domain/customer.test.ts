import { describe, expect, it } from 'vitest';
import { Customer, decideCustomer, type SupportChannel } from '../../../src/domain/index.js';
import { deciderSpec } from '../../support/decider-spec.js';
import { adasDetails, anInteraction as interaction, aRegisteredCustomer, changeDetails, CUSTOMER_NOW as NOW, register } from '../mothers/customer-mother.js';

const spec = deciderSpec(Customer, decideCustomer);

describe('Customer', () => {
  it('registers a customer with their personal details', () => {
    const state = spec
      .given([])
      .when(register())
      .then([{ type: 'CustomerRegistered', occurredAt: NOW, data: { personal: adasDetails() } }]);
    expect(state).toMatchObject({ registered: true, personal: adasDetails() });
  });

  it('refuses to register a customer twice', () => {
    spec.given(aRegisteredCustomer()).when(register()).thenFailsWith('CUSTOMER.ALREADY_REGISTERED');
  });

  it.each([
    { name: 'an email without a domain', personal: { ...adasDetails(), email: 'ada@' }, field: 'email' },
    { name: 'a blank name', personal: { ...adasDetails(), name: ' ' }, field: 'name' },
    { name: 'a blank address', personal: { ...adasDetails(), address: '' }, field: 'address' },
  ])('refuses to register with $name', ({ personal, field }) => {
    const error = spec.given([]).when(register(personal)).thenFailsWith('CUSTOMER.INVALID_DETAILS');
    expect(error.details).toEqual({ field });
  });

  it('refuses to register without every detail', () => {
    const { address: _address, ...incomplete } = adasDetails();
    const error = spec
      .given([])
      .when(register(incomplete as ReturnType<typeof adasDetails>))
      .thenFailsWith('CUSTOMER.INVALID_DETAILS');
    expect(error.message).toContain('required');
  });

  it('records only the details that changed', () => {
    const state = spec
      .given(aRegisteredCustomer())
      .when(changeDetails({ name: 'Ada Lovelace', email: 'ada@lovelace.org' }))
      .then([{ type: 'CustomerDetailsChanged', occurredAt: NOW, data: { personal: { email: 'ada@lovelace.org' } } }]);
    expect(state.personal).toEqual({ ...adasDetails(), email: 'ada@lovelace.org' });
  });

  it('refuses a change that changes nothing', () => {
    spec.given(aRegisteredCustomer()).when(changeDetails({ email: 'ada@example.com' })).thenFailsWith('CUSTOMER.NOTHING_CHANGED');
  });

  it('refuses changed details that are invalid', () => {
    spec.given(aRegisteredCustomer()).when(changeDetails({ email: 'not-an-email' })).thenFailsWith('CUSTOMER.INVALID_DETAILS');
  });

  it('records support interactions, in order, to reconstruct the history', () => {
    const first = spec
      .given(aRegisteredCustomer())
      .when(interaction())
      .then([
        {
          type: 'SupportInteractionRecorded',
          occurredAt: NOW,
          data: { interactionId: 'interaction-1', channel: 'EMAIL', summary: 'asked where the parcel is', agent: 'agent-7', orderId: 'order-1' },
        },
      ]);
    expect(first.interactions).toEqual([
      { interactionId: 'interaction-1', channel: 'EMAIL', summary: 'asked where the parcel is', agent: 'agent-7', orderId: 'order-1', at: NOW },
    ]);
  });

  it.each([
    { name: 'an unknown channel', overrides: { channel: 'FAX' as SupportChannel }, code: 'CUSTOMER.INVALID_CHANNEL' },
    { name: 'an empty summary', overrides: { summary: ' ' }, code: 'CUSTOMER.INVALID_INTERACTION' },
  ])('refuses an interaction with $name', ({ overrides, code }) => {
    spec.given(aRegisteredCustomer()).when(interaction(overrides)).thenFailsWith(code);
  });

  it('refuses to change the details of a customer who is not registered', () => {
    spec.given([]).when(changeDetails({ name: 'Ada' })).thenFailsWith('CUSTOMER.NOT_REGISTERED');
  });

  it('refuses to record an interaction with a customer who is not registered', () => {
    spec.given([]).when(interaction()).thenFailsWith('CUSTOMER.NOT_REGISTERED');
  });
});
