import { describe, expect, it } from 'vitest';
import { changeCustomerDetails, Customer, recordSupportInteraction, registerCustomer, type SupportChannel } from '../../../src/domain/index.js';
import { deciderSpec } from '../../support/decider-spec.js';
import { adasDetails, aRegisteredCustomer } from '../mothers/customer-mother.js';

const spec = deciderSpec(Customer);
const NOW = '2026-03-02T10:00:00.000Z';
const interaction = (overrides: Partial<{ channel: SupportChannel; summary: string }> = {}) => ({
  interactionId: 'interaction-1',
  channel: 'EMAIL' as SupportChannel,
  summary: 'asked where the parcel is',
  agent: 'agent-7',
  orderId: 'order-1',
  now: NOW,
  ...overrides,
});

describe('Customer', () => {
  it('registers a customer with their personal details', () => {
    const state = spec
      .given([])
      .when(registerCustomer, { personal: adasDetails(), now: NOW })
      .then([{ type: 'CustomerRegistered', occurredAt: NOW, data: { personal: adasDetails() } }]);
    expect(state).toMatchObject({ registered: true, personal: adasDetails() });
  });

  it('refuses to register a customer twice', () => {
    spec.given(aRegisteredCustomer()).when(registerCustomer, { personal: adasDetails(), now: NOW }).thenFailsWith('CUSTOMER.ALREADY_REGISTERED');
  });

  it.each([
    { name: 'an email without a domain', personal: { ...adasDetails(), email: 'ada@' }, field: 'email' },
    { name: 'a blank name', personal: { ...adasDetails(), name: ' ' }, field: 'name' },
    { name: 'a blank address', personal: { ...adasDetails(), address: '' }, field: 'address' },
  ])('refuses to register with $name', ({ personal, field }) => {
    const error = spec.given([]).when(registerCustomer, { personal, now: NOW }).thenFailsWith('CUSTOMER.INVALID_DETAILS');
    expect(error.details).toEqual({ field });
  });

  it('refuses to register without every detail', () => {
    const { address: _address, ...incomplete } = adasDetails();
    const error = spec
      .given([])
      .when(registerCustomer, { personal: incomplete as ReturnType<typeof adasDetails>, now: NOW })
      .thenFailsWith('CUSTOMER.INVALID_DETAILS');
    expect(error.message).toContain('required');
  });

  it('records only the details that changed', () => {
    const state = spec
      .given(aRegisteredCustomer())
      .when(changeCustomerDetails, { personal: { name: 'Ada Lovelace', email: 'ada@lovelace.org' }, now: NOW })
      .then([{ type: 'CustomerDetailsChanged', occurredAt: NOW, data: { personal: { email: 'ada@lovelace.org' } } }]);
    expect(state.personal).toEqual({ ...adasDetails(), email: 'ada@lovelace.org' });
  });

  it('refuses a change that changes nothing', () => {
    spec.given(aRegisteredCustomer()).when(changeCustomerDetails, { personal: { email: 'ada@example.com' }, now: NOW }).thenFailsWith('CUSTOMER.NOTHING_CHANGED');
  });

  it('refuses changed details that are invalid', () => {
    spec.given(aRegisteredCustomer()).when(changeCustomerDetails, { personal: { email: 'not-an-email' }, now: NOW }).thenFailsWith('CUSTOMER.INVALID_DETAILS');
  });

  it('records support interactions, in order, to reconstruct the history', () => {
    const first = spec
      .given(aRegisteredCustomer())
      .when(recordSupportInteraction, interaction())
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
    spec.given(aRegisteredCustomer()).when(recordSupportInteraction, interaction(overrides)).thenFailsWith(code);
  });

  it('refuses to change the details of a customer who is not registered', () => {
    spec.given([]).when(changeCustomerDetails, { personal: { name: 'Ada' }, now: NOW }).thenFailsWith('CUSTOMER.NOT_REGISTERED');
  });

  it('refuses to record an interaction with a customer who is not registered', () => {
    spec.given([]).when(recordSupportInteraction, interaction()).thenFailsWith('CUSTOMER.NOT_REGISTERED');
  });
});
