import { err, ok, type Result } from 'neverthrow';
import { domainError, type DomainError } from '../shared/domain-error.js';
import { refuseCardNumberIn } from '../shared/card-number.js';
import type { Now } from '../shared/domain-event.js';
import type { CustomerState } from './customer.js';
import { SUPPORT_CHANNELS, type CustomerEvent, type PersonalDetails, type SupportChannel } from './customer-events.js';

type Decision = Result<readonly CustomerEvent[], DomainError>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const validatePersonal = (personal: Partial<PersonalDetails>): DomainError | null => {
  for (const field of ['name', 'address'] as const) {
    const value = personal[field];
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
      return domainError('CUSTOMER.INVALID_DETAILS', `${field} must be a non-empty string`, { field });
    }
  }
  if (personal.email !== undefined && (typeof personal.email !== 'string' || !EMAIL.test(personal.email))) {
    return domainError('CUSTOMER.INVALID_DETAILS', 'email must look like name@example.com', { field: 'email' });
  }
  return null;
};

export const registerCustomer = (state: CustomerState, command: Now & { personal: PersonalDetails }): Decision => {
  if (state.registered) return err(domainError('CUSTOMER.ALREADY_REGISTERED', 'the customer is already registered'));
  const invalid = validatePersonal(command.personal) ?? (command.personal.name === undefined || command.personal.email === undefined || command.personal.address === undefined
    ? domainError('CUSTOMER.INVALID_DETAILS', 'name, email and address are all required at registration')
    : null);
  if (invalid) return err(invalid);
  const { name, email, address } = command.personal;
  return ok([{ type: 'CustomerRegistered', occurredAt: command.now, data: { personal: { name, email, address } } }]);
};

export const changeCustomerDetails = (state: CustomerState, command: Now & { personal: Partial<PersonalDetails> }): Decision => {
  if (!state.registered) return err(domainError('CUSTOMER.NOT_REGISTERED', 'the customer is not registered'));
  const invalid = validatePersonal(command.personal);
  if (invalid) return err(invalid);
  const changed = Object.fromEntries(
    (['name', 'email', 'address'] as const).filter((f) => command.personal[f] !== undefined && command.personal[f] !== state.personal?.[f]).map((f) => [f, command.personal[f]]),
  ) as Partial<PersonalDetails>;
  if (Object.keys(changed).length === 0) return err(domainError('CUSTOMER.NOTHING_CHANGED', 'the details given are the ones already held'));
  return ok([{ type: 'CustomerDetailsChanged', occurredAt: command.now, data: { personal: changed } }]);
};

export const recordSupportInteraction = (
  state: CustomerState,
  command: Now & { interactionId: string; channel: SupportChannel; summary: string; agent: string; orderId?: string | null },
): Decision => {
  if (!state.registered) return err(domainError('CUSTOMER.NOT_REGISTERED', 'the customer is not registered'));
  if (!SUPPORT_CHANNELS.includes(command.channel)) {
    return err(domainError('CUSTOMER.INVALID_CHANNEL', `channel must be one of ${SUPPORT_CHANNELS.join(', ')}, got ${JSON.stringify(command.channel)}`));
  }
  if (typeof command.summary !== 'string' || command.summary.trim() === '') {
    return err(domainError('CUSTOMER.INVALID_INTERACTION', 'a support interaction needs a summary'));
  }
  const cardInText = refuseCardNumberIn('CUSTOMER', { summary: command.summary, agent: command.agent });
  if (cardInText) return err(cardInText);
  const { interactionId, channel, summary, agent } = command;
  return ok([{ type: 'SupportInteractionRecorded', occurredAt: command.now, data: { interactionId, channel, summary, agent, orderId: command.orderId ?? null } }]);
};
