import { domainError, type DomainError } from './domain-error.js';

/** Whether a value looks like a primary account number: 13-19 digits (spaces or dashes allowed) passing Luhn. */
export const looksLikeCardNumber = (value: string): boolean => {
  if (!/^[\d\s-]+$/.test(value)) return false;
  const digits = value.replace(/[\s-]/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
};

// Maximal runs of digits joined by single spaces or dashes: a longer run is not a card number,
// and checking its windows would refuse honest text by chance.
const DIGIT_RUNS = /\d(?:[ -]?\d)*/g;

// A UUID (8-4-4-4-12 hex digits) standing as a token of its own. Its digit groups joined across its dashes pass
// Luhn by chance (about 1 UUID in 250 reads as a card number), and ids, correlation ids and payment ids derived
// from them are everywhere: a UUID is an identifier, not a number someone typed, so it is set aside before scanning.
const UUIDS = /(?<![0-9A-Za-z])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9A-Za-z])/gi;

/**
 * Whether a card number stands anywhere in the text, on its own or inside other words. Within a
 * run of digit groups ("4111 1111 1111 1111 123"), every span of whole groups is tried, so a number
 * followed or preceded by other digits (a CVV, an expiry) is still found. UUIDs are not scanned.
 */
export const containsCardNumber = (text: string): boolean =>
  (text.replace(UUIDS, ' ').match(DIGIT_RUNS) ?? []).some((run) => {
    const groups = run.split(/[ -]/);
    for (let first = 0; first < groups.length; first += 1) {
      let digits = '';
      for (let last = first; last < groups.length && digits.length < 19; last += 1) {
        digits += groups[last];
        if (looksLikeCardNumber(digits)) return true;
      }
    }
    return false;
  });

/**
 * Stored events are immutable: a card number that got in could never be removed (PCI DSS).
 * Free text is checked as firmly as payment fields.
 */
export const refuseCardNumberIn = <C extends string>(code: C, fields: Readonly<Record<string, unknown>>): DomainError<C> | null => {
  for (const [field, value] of Object.entries(fields)) {
    if (typeof value === 'string' && containsCardNumber(value)) {
      return domainError(code, `${field} contains what looks like a card number; card numbers are never stored`, { field });
    }
  }
  return null;
};

/** The codes a payment method token is refused with, in the words of the aggregate that receives it. */
export interface TokenRefusals<I extends string, C extends string> {
  readonly invalid: I;
  readonly cardNumber: C;
}

/**
 * A payment method is a token the payment provider issued: 1 to 200 characters, and never a card number
 * (anywhere in it), whichever aggregate receives it (an order placed with it, a payment requested with it).
 */
export const refuseInvalidToken = <I extends string, C extends string>(token: unknown, codes: TokenRefusals<I, C>): DomainError<I | C> | null => {
  if (typeof token !== 'string' || token.trim() === '' || token.length > 200) {
    return domainError(codes.invalid, 'payment method must be a provider token of 1 to 200 characters');
  }
  if (containsCardNumber(token)) {
    return domainError(codes.cardNumber, 'payment method looks like a card number; send the token your payment provider issued instead');
  }
  return null;
};
