import { domainError, type DomainError } from './domain-error.js';

/*
 * What counts as a card number (PCI DSS: a primary account number must never be stored or logged).
 *
 * 1. Text is read as a person sees it. Each character is NFKC-normalised (full-width digits and spaces, and the
 *    like, become their plain forms); invisible format characters (Unicode category Cf: zero-width spaces and
 *    joiners, soft hyphens, byte-order marks) are dropped; every decimal digit of any script (category Nd:
 *    Arabic-Indic, Devanagari, Thai, ...) is read as its value.
 * 2. Digits stand in groups. Two groups belong to one run when one to three separator characters stand between
 *    them: white space of any kind (non-breaking, ideographic, line breaks, tabs), dashes of any kind (category Pd,
 *    the minus sign), dots, underscores and slashes. Anything else (letters, commas, colons, brackets, plus
 *    signs) ends a run. Commas and colons are not separators: lists and times use them.
 * 3. Set aside before looking, because they are identifiers or dates rather than numbers someone typed, and their
 *    digits joined would pass the Luhn check by chance (about one in ten): UUIDs and hexadecimal tokens of 32 or more
 *    characters (digests) standing as tokens of their own; dates whose year is 19xx or 20xx, with one separator
 *    (-, / or .) used twice (2026-03-01, 01/03/2026, 1.3.2026); the country code of a phone number written with a
 *    leading plus and at most 15 digits (E.164's limit): the plus and the group right after it ("+86" of
 *    "+86 138 0013 8000", or the whole of "+8613800138000" written unbroken). The groups after a country code are
 *    scanned as usual: a card number typed after one is still found, and a national number of 12 digits or fewer
 *    never reads as one (those of 13 or 14 digits are rare, and may).
 * 4. A card number is any span of whole, consecutive groups of one run holding 13 to 19 digits that pass the Luhn
 *    check. Every span is tried, so a number with a CVV or an expiry typed beside it is still found; a group
 *    longer than 19 digits cannot be (part of) one, so long references and tracking numbers pass.
 *
 * Honest text with 13 or more digits joined only by separators (two dates with a dash between them are set
 * aside; two long numbers with a space between them are not) can still be refused by chance; that is the price
 * of never storing a card number, and the message says how to send it instead.
 */

/** Payment card brands by their issuer identification number (IIN) prefixes and lengths. */
export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'jcb' | 'diners' | 'unionpay' | 'maestro' | 'mir' | 'rupay' | 'verve' | 'troy';

interface BrandRange {
  readonly brand: CardBrand;
  /** Inclusive ranges of the leading digits, compared at the width of `from`. */
  readonly from: string;
  readonly to: string;
  readonly lengths: readonly number[];
}

const range = (brand: CardBrand, from: string, to: string, lengths: readonly number[]): BrandRange => ({ brand, from, to, lengths });
const ALL_LENGTHS = [12, 13, 14, 15, 16, 17, 18, 19];

// The published IIN ranges of the brands a gateway may charge. Maestro's are broad (50, 56-69): a brand prefix
// check errs towards "card" on purpose.
const BRANDS: readonly BrandRange[] = [
  range('visa', '4', '4', [13, 16, 19]),
  range('mastercard', '51', '55', [16]),
  range('mastercard', '2221', '2720', [16]),
  range('amex', '34', '34', [15]),
  range('amex', '37', '37', [15]),
  range('discover', '6011', '6011', [16, 17, 18, 19]),
  range('discover', '644', '649', [16, 17, 18, 19]),
  range('discover', '65', '65', [16, 17, 18, 19]),
  range('jcb', '3528', '3589', [16, 17, 18, 19]),
  range('diners', '300', '305', [14, 15, 16, 17, 18, 19]),
  range('diners', '36', '36', [14, 15, 16, 17, 18, 19]),
  range('diners', '38', '39', [14, 15, 16, 17, 18, 19]),
  range('unionpay', '62', '62', [16, 17, 18, 19]),
  range('maestro', '50', '50', ALL_LENGTHS),
  range('maestro', '56', '69', ALL_LENGTHS),
  range('mir', '2200', '2204', [16, 17, 18, 19]),
  range('rupay', '60', '60', [16]),
  range('rupay', '81', '82', [16]),
  range('verve', '506099', '506198', [16, 18, 19]),
  range('verve', '650002', '650027', [16, 18, 19]),
  range('troy', '9792', '9792', [16]),
];

/** The brand whose IIN range and length the digits fit, or null: the number carries no card brand's prefix. */
export const cardBrandOf = (digits: string): CardBrand | null => {
  if (!/^\d+$/.test(digits)) return null;
  const found = BRANDS.find(({ from, to, lengths }) => {
    const prefix = digits.slice(0, from.length);
    return lengths.includes(digits.length) && prefix.length === from.length && prefix >= from && prefix <= to;
  });
  return found?.brand ?? null;
};

const passesLuhn = (digits: string): boolean => {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
};

const isCardDigits = (digits: string): boolean => digits.length >= 13 && digits.length <= 19 && passesLuhn(digits);

const FORMAT = /^\p{Cf}$/u;
const DECIMAL = /^\p{Nd}$/u;
const ASCII_DIGIT = /^[0-9]$/;
const digitValues = new Map<number, string>();

/** A decimal digit of any script as its ASCII digit: Unicode lays every script's digits out as runs of ten, zero first. */
const asciiDigitOf = (codePoint: number): string => {
  let value = digitValues.get(codePoint);
  if (value === undefined) {
    let zero = codePoint;
    while (DECIMAL.test(String.fromCodePoint(zero - 1))) zero -= 1;
    value = String((codePoint - zero) % 10);
    digitValues.set(codePoint, value);
  }
  return value;
};

/** The text as rule 1 reads it, with the offset in the original text each of its characters came from. */
interface Normalised {
  readonly text: string;
  readonly from: readonly number[];
  readonly to: readonly number[];
}

const normalise = (original: string): Normalised => {
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  let offset = 0;
  for (const char of original) {
    const end = offset + char.length;
    if (!FORMAT.test(char)) {
      for (const part of char.normalize('NFKC')) {
        const read = DECIMAL.test(part) && !ASCII_DIGIT.test(part) ? asciiDigitOf(part.codePointAt(0) ?? 0) : part;
        for (let i = 0; i < read.length; i += 1) {
          from.push(offset);
          to.push(end);
        }
        text += read;
      }
    }
    offset = end;
  }
  return { text, from, to };
};

const SEPARATOR = '[\\s\\u0085\\p{Pd}\\u2212._/]';
const RUNS = new RegExp(`\\d+(?:${SEPARATOR}{1,3}\\d+)*`, 'gu');
const GROUPS = /\d+/g;

const UUIDS = /(?<![0-9A-Za-z])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9A-Za-z])/gi;
const HEX_TOKENS = /(?<![0-9A-Za-z])[0-9a-f]{32,}(?![0-9A-Za-z])/gi;
const DAY = '(?:0?[1-9]|[12]\\d|3[01])';
const MONTH = '(?:0?[1-9]|1[0-2])';
const YEAR = '(?:19|20)\\d\\d';
const DATES = new RegExp(`(?<!\\d)(?:${YEAR}([-/.])${MONTH}\\1${DAY}|${DAY}([-/.])${DAY}\\2${YEAR})(?!\\d)`, 'g');
const PHONES = new RegExp(`\\+\\d+(?:${SEPARATOR}{1,3}\\d+)*`, 'gu');
const E164_DIGITS = 15;

const blanked = (text: string): string => 'x'.repeat(text.length);
const blank = (text: string, pattern: RegExp, keep: (match: string) => boolean = () => false): string =>
  text.replace(pattern, (match) => (keep(match) ? match : blanked(match)));

/** A phone number's plus and country code (its first group); the rest stays to be scanned. */
const countryCodeSetAside = (phone: string): string => {
  if (phone.replace(/\D/g, '').length > E164_DIGITS) return phone;
  const code = /^\+\d+/.exec(phone)?.[0] ?? '';
  return blanked(code) + phone.slice(code.length);
};

/** Rule 3: what is set aside becomes letters of the same length, so offsets still line up. */
const setAside = (text: string): string =>
  blank(blank(blank(text, UUIDS), HEX_TOKENS, (token) => !/[a-f]/i.test(token)), DATES).replace(PHONES, countryCodeSetAside);

/** Where a card number stands in a text: offsets in the original text, its brand, and only its last four digits. */
export interface CardNumberHit {
  readonly start: number;
  readonly end: number;
  readonly last4: string;
  readonly brand: CardBrand | null;
}

/** Rule 4 over one run: every span of whole groups. */
const hitsInRun = (run: string, at: number, into: { start: number; end: number; digits: string }[]): void => {
  const groups = [...run.matchAll(GROUPS)].map((match) => ({ digits: match[0], start: at + match.index, end: at + match.index + match[0].length }));
  for (let first = 0; first < groups.length; first += 1) {
    let digits = '';
    for (let last = first; last < groups.length; last += 1) {
      digits += groups[last]?.digits ?? '';
      if (digits.length > 19) break;
      if (isCardDigits(digits)) into.push({ start: groups[first]?.start ?? 0, end: groups[last]?.end ?? 0, digits });
    }
  }
};

/** Every card number in a text (see the rule at the top of this file); overlapping spans are each reported. */
// ASCII reads as itself (normalising and the format characters touch only other characters), so ASCII text with
// fewer than 13 digits holds no card number: most ids, names and addresses are settled without normalising.
const ASCII_ONLY = /^\p{ASCII}*$/u;
const FEWER_THAN_13_DIGITS = /^(?:\D*\d){0,12}\D*$/;

export const cardNumbersIn = (text: string): readonly CardNumberHit[] => {
  if (!/\p{Nd}/u.test(text)) return [];
  if (ASCII_ONLY.test(text) && FEWER_THAN_13_DIGITS.test(text)) return [];
  const read = normalise(text);
  const found: { start: number; end: number; digits: string }[] = [];
  for (const run of setAside(read.text).matchAll(RUNS)) hitsInRun(run[0], run.index, found);
  return found.map(({ start, end, digits }) => ({
    start: read.from[start] ?? 0,
    end: read.to[end - 1] ?? text.length,
    last4: digits.slice(-4),
    brand: cardBrandOf(digits),
  }));
};

/** Whether a card number stands anywhere in the text, on its own or inside other words. */
export const containsCardNumber = (text: string): boolean => cardNumbersIn(text).length > 0;

/**
 * Whether a card number carrying a card brand's IIN prefix stands in the text: the rule for a payment gateway's own
 * references, which are often long digit strings and pass the Luhn check one time in ten by chance.
 */
export const containsBrandedCardNumber = (text: string): boolean => cardNumbersIn(text).some((hit) => hit.brand !== null);

/** Whether the whole value is one card number: 13-19 digits, passing Luhn, with nothing but separators besides. */
export const looksLikeCardNumber = (value: string): boolean => {
  const read = normalise(value).text;
  if (!new RegExp(`^(?:\\d|${SEPARATOR})+$`, 'u').test(read)) return false;
  return isCardDigits(read.replace(/\D/g, ''));
};

/** The text with every card number in it replaced by its last four digits only, for logs and messages. */
export const maskCardNumbers = (text: string): string => {
  const hits = [...cardNumbersIn(text)].sort((a, b) => a.start - b.start);
  let masked = '';
  let at = 0;
  for (const hit of hits) {
    if (hit.end <= at) continue;
    masked += `${text.slice(at, Math.max(at, hit.start))}[card number ending ${hit.last4}]`;
    at = hit.end;
  }
  return masked + text.slice(at);
};

/**
 * Stored events are immutable: a card number that got in could never be removed (PCI DSS).
 * Free text is checked as firmly as payment fields.
 */
export const refuseCardNumberIn = <C extends string>(
  code: C,
  fields: Readonly<Record<string, unknown>>,
  isCardIn: (text: string) => boolean = containsCardNumber,
): DomainError<C> | null => {
  for (const [field, value] of Object.entries(fields)) {
    if (typeof value === 'string' && isCardIn(value)) {
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
