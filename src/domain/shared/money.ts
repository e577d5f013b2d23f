import { err, ok, type Result } from 'neverthrow';
import { domainError, type CodeOf, type DomainError } from './domain-error.js';
import { ISO_4217_CURRENCIES } from './iso-4217.js';

export const MONEY_ERRORS = {
  INVALID_CURRENCY: 'MONEY.INVALID_CURRENCY',
  INVALID_AMOUNT: 'MONEY.INVALID_AMOUNT',
} as const;
export type MoneyErrorCode = CodeOf<typeof MONEY_ERRORS>;

/** Money in integer minor units (cents) with an ISO 4217 currency: never binary floats. */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

/** An active ISO 4217 code: three capital letters alone would take a typo (EUE) or a withdrawn code (HRK). */
export const isCurrency = (value: unknown): value is string => typeof value === 'string' && ISO_4217_CURRENCIES.has(value);

export const money = (amount: unknown, currency: unknown): Result<Money, DomainError<MoneyErrorCode>> => {
  if (!isCurrency(currency)) {
    return err(domainError(MONEY_ERRORS.INVALID_CURRENCY, `currency must be an active ISO 4217 code such as EUR, got ${JSON.stringify(currency)}`, { field: 'currency' }));
  }
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) {
    return err(domainError(MONEY_ERRORS.INVALID_AMOUNT, `amount must be an integer number of minor units, got ${JSON.stringify(amount)}`));
  }
  return ok({ amount, currency });
};
