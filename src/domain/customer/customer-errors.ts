import type { CodeOf } from '../shared/domain-error.js';

/** Every code a customer command can be refused with. */
export const CUSTOMER_ERRORS = {
  /** The command names a customer that has no events (the command handler refuses it before the domain decides). */
  NOT_FOUND: 'CUSTOMER.NOT_FOUND',
  ALREADY_REGISTERED: 'CUSTOMER.ALREADY_REGISTERED',
  NOT_REGISTERED: 'CUSTOMER.NOT_REGISTERED',
  INVALID_DETAILS: 'CUSTOMER.INVALID_DETAILS',
  NOTHING_CHANGED: 'CUSTOMER.NOTHING_CHANGED',
  INVALID_CHANNEL: 'CUSTOMER.INVALID_CHANNEL',
  INVALID_INTERACTION: 'CUSTOMER.INVALID_INTERACTION',
  CARD_NUMBER_IN_TEXT: 'CUSTOMER.CARD_NUMBER_IN_TEXT',
  /** The customer's personal data was erased: nothing more is recorded about them. */
  ERASED: 'CUSTOMER.ERASED',
  /** An erasure of a customer already erased: the first one stands (its time is in the details). */
  ALREADY_ERASED: 'CUSTOMER.ALREADY_ERASED',
} as const;

export type CustomerErrorCode = CodeOf<typeof CUSTOMER_ERRORS>;
