import { err, ok, type Result } from 'neverthrow';
import { domainError, type DomainError } from '../shared/domain-error.js';
import { refuseCardNumberIn } from '../shared/card-number.js';
import type { Now } from '../shared/domain-event.js';
import type { CustomerState } from './customer.js';
import { CUSTOMER_ERRORS, type CustomerErrorCode } from './customer-errors.js';
import { SUPPORT_CHANNELS, type CustomerEvent, type PersonalDetails, type SupportChannel } from './customer-events.js';

export interface RegisterCustomer extends Now {
  readonly type: 'RegisterCustomer';
  readonly customerId: string;
  readonly personal: PersonalDetails;
}

export interface ChangeCustomerDetails extends Now {
  readonly type: 'ChangeCustomerDetails';
  readonly customerId: string;
  readonly personal: Partial<PersonalDetails>;
}

export interface RecordSupportInteraction extends Now {
  readonly type: 'RecordSupportInteraction';
  readonly customerId: string;
  /** Minted by the application, once per command. */
  readonly interactionId: string;
  readonly channel: SupportChannel;
  readonly summary: string;
  readonly agent: string;
  readonly orderId?: string | null;
}

/** Erase the customer's personal data (GDPR): the application deletes their data key; this records that it did. */
export interface EraseCustomer extends Now {
  readonly type: 'EraseCustomer';
  readonly customerId: string;
}

/** A customer command as the domain decides it: what the client asked, the time, and the ids the application minted. */
export type CustomerDomainCommand = RegisterCustomer | ChangeCustomerDetails | RecordSupportInteraction | EraseCustomer;

type Refusal = DomainError<CustomerErrorCode>;
type Decision = Result<readonly CustomerEvent[], Refusal>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const validatePersonal = (personal: Partial<PersonalDetails>): Refusal | null => {
  for (const field of ['name', 'address'] as const) {
    const value = personal[field];
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
      return domainError(CUSTOMER_ERRORS.INVALID_DETAILS, `${field} must be a non-empty string`, { field });
    }
  }
  if (personal.email !== undefined && (typeof personal.email !== 'string' || !EMAIL.test(personal.email))) {
    return domainError(CUSTOMER_ERRORS.INVALID_DETAILS, 'email must look like name@example.com', { field: 'email' });
  }
  return null;
};

const notRegistered = (): Refusal => domainError(CUSTOMER_ERRORS.NOT_REGISTERED, 'the customer is not registered');
const erased = (state: CustomerState): Refusal => domainError(CUSTOMER_ERRORS.ERASED, 'the customer was erased: nothing more is recorded about them', { erasedAt: state.erasedAt });

const registerCustomer = (command: RegisterCustomer, state: CustomerState): Decision => {
  if (state.registered) return err(domainError(CUSTOMER_ERRORS.ALREADY_REGISTERED, 'the customer is already registered'));
  const { name, email, address } = command.personal;
  const invalid =
    validatePersonal(command.personal) ??
    (name === undefined || email === undefined || address === undefined
      ? domainError(CUSTOMER_ERRORS.INVALID_DETAILS, 'name, email and address are all required at registration')
      : null);
  if (invalid) return err(invalid);
  return ok([{ type: 'CustomerRegistered', occurredAt: command.now, data: { personal: { name, email, address } } }]);
};

const changeCustomerDetails = (command: ChangeCustomerDetails, state: CustomerState): Decision => {
  if (!state.registered) return err(notRegistered());
  if (state.erasedAt !== null) return err(erased(state));
  const invalid = validatePersonal(command.personal);
  if (invalid) return err(invalid);
  const changed = Object.fromEntries(
    (['name', 'email', 'address'] as const).filter((f) => command.personal[f] !== undefined && command.personal[f] !== state.personal?.[f]).map((f) => [f, command.personal[f]]),
  ) as Partial<PersonalDetails>;
  if (Object.keys(changed).length === 0) return err(domainError(CUSTOMER_ERRORS.NOTHING_CHANGED, 'the details given are the ones already held'));
  return ok([{ type: 'CustomerDetailsChanged', occurredAt: command.now, data: { personal: changed } }]);
};

const recordSupportInteraction = (command: RecordSupportInteraction, state: CustomerState): Decision => {
  if (!state.registered) return err(notRegistered());
  if (state.erasedAt !== null) return err(erased(state));
  if (!SUPPORT_CHANNELS.includes(command.channel)) {
    return err(domainError(CUSTOMER_ERRORS.INVALID_CHANNEL, `channel must be one of ${SUPPORT_CHANNELS.join(', ')}, got ${JSON.stringify(command.channel)}`));
  }
  if (typeof command.summary !== 'string' || command.summary.trim() === '') {
    return err(domainError(CUSTOMER_ERRORS.INVALID_INTERACTION, 'a support interaction needs a summary'));
  }
  const cardInText = refuseCardNumberIn(CUSTOMER_ERRORS.CARD_NUMBER_IN_TEXT, { summary: command.summary, agent: command.agent });
  if (cardInText) return err(cardInText);
  const { interactionId, channel, summary, agent } = command;
  return ok([{ type: 'SupportInteractionRecorded', occurredAt: command.now, data: { interactionId, channel, summary, agent, orderId: command.orderId ?? null } }]);
};

const eraseCustomer = (command: EraseCustomer, state: CustomerState): Decision => {
  if (!state.registered) return err(notRegistered());
  if (state.erasedAt !== null) {
    return err(domainError(CUSTOMER_ERRORS.ALREADY_ERASED, `the customer was already erased at ${state.erasedAt}`, { erasedAt: state.erasedAt }));
  }
  return ok([{ type: 'CustomerErased', occurredAt: command.now, data: {} }]);
};

/** The customer's decider: the events a command leads to from the current state, or why it is refused. */
export const decideCustomer = (command: CustomerDomainCommand, state: CustomerState): Decision => {
  switch (command.type) {
    case 'RegisterCustomer':
      return registerCustomer(command, state);
    case 'ChangeCustomerDetails':
      return changeCustomerDetails(command, state);
    case 'RecordSupportInteraction':
      return recordSupportInteraction(command, state);
    case 'EraseCustomer':
      return eraseCustomer(command, state);
    default: {
      const unknown: never = command;
      throw new Error(`unhandled customer command ${JSON.stringify(unknown)}`);
    }
  }
};
