import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cardBrandOf, cardNumbersIn, containsBrandedCardNumber, containsCardNumber, maskCardNumbers } from '../../../src/domain/index.js';
import { typedCardNumber, withCheckDigit } from '../../support/card-number-mother.js';

// Text around a card number that neither joins its digits (no digit or separator at the edge) nor sets it aside.
const words = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz ABC:,;()#é漢'), maxLength: 12 });
const prefix = words.map((text) => (text === '' ? text : `${text}:`));
const suffix = words.map((text) => (text === '' ? text : `,${text}`));

describe('the card number rule: every way people type one', () => {
  it('finds a Luhn-valid number of any brand, grouped and separated as people type it, in any script, inside any text', () => {
    fc.assert(
      fc.property(typedCardNumber(), prefix, suffix, (card, before, after) => {
        const hits = cardNumbersIn(`${before}${card.typed}${after}`);
        expect(hits.some((hit) => hit.last4 === card.digits.slice(-4))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['dots', '4111.1111.1111.1111'],
    ['underscores', '4111_1111_1111_1111'],
    ['double spaces', '4111  1111  1111  1111'],
    ['non-breaking spaces', '4111\u00a01111\u00a01111\u00a01111'],
    ['narrow no-break spaces', '4111\u202f1111\u202f1111\u202f1111'],
    ['full-width digits', '４１１１１１１１１１１１１１１１'],
    ['full-width digits and ideographic spaces', '４１１１\u3000１１１１\u3000１１１１\u3000１１１１'],
    ['en dashes', '4111–1111–1111–1111'],
    ['spaced dashes', '4111 - 1111 - 1111 - 1111'],
    ['slashes', '4111/1111/1111/1111'],
    ['zero-width spaces', '4111\u200b1111\u200b1111\u200b1111'],
    ['soft hyphens', '4111\u00ad1111\u00ad1111\u00ad1111'],
    ['Arabic-Indic digits', '٤١١١١١١١١١١١١١١١'],
    ['Devanagari digits', '४१११ ११११ ११११ ११११'],
    ['a line break', 'card 4111 1111\n1111 1111'],
    ['a CVV after it', 'card 4111 1111 1111 1111 123'],
    ['an expiry after a slash', '4111111111111111/12/27'],
    ['a plus sign and 16 digits (no phone is that long)', '+4111 1111 1111 1111'],
    ['a country code before it', 'call +44  ๕๐๗๙/๗๓๕๓/๘๖๖๘/๑'],
  ])('finds one written with %s', (_how, text) => {
    expect(containsCardNumber(text)).toBe(true);
  });

  it('reports where it stands and its last four digits, never the rest', () => {
    const text = 'ref A-1: card ４１１１ １１１１ １１１１ １１１１, thanks';
    const [hit] = cardNumbersIn(text);
    expect(hit).toMatchObject({ last4: '1111', brand: 'visa' });
    expect(text.slice(hit?.start, hit?.end)).toBe('４１１１ １１１１ １１１１ １１１１');
    expect(maskCardNumbers(text)).toBe('ref A-1: card [card number ending 1111], thanks');
  });
});

describe('the card number rule: honest text is not refused by chance', () => {
  const year = fc.integer({ min: 1900, max: 2099 });
  const month = fc.integer({ min: 1, max: 12 });
  const day = fc.integer({ min: 1, max: 31 });
  const pad = (n: number) => String(n).padStart(2, '0');
  const isoDate = fc.tuple(year, month, day).map(([y, m, d]) => `${y}-${pad(m)}-${pad(d)}`);
  const europeanDate = fc.tuple(year, month, day, fc.constantFrom('/', '.', '-')).map(([y, m, d, s]) => `${d}${s}${m}${s}${y}`);

  it('never refuses dates, alone or in ranges and lists', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(isoDate, europeanDate), { minLength: 1, maxLength: 4 }), fc.constantFrom(' - ', ' ', '/', ' to ', '–'), (dates, joint) => {
        expect(containsCardNumber(dates.join(joint))).toBe(false);
      }),
    );
  });

  it('never refuses a phone number written with its country code and a national number of up to 12 digits', () => {
    const phone = fc
      .tuple(fc.integer({ min: 1, max: 999 }), fc.array(fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 4 }))
      .filter(([, groups]) => groups.join('').length <= 12)
      .map(([country, groups]) => `+${country} ${groups.join(' ')}`);
    fc.assert(
      fc.property(fc.array(phone, { minLength: 1, maxLength: 3 }), (phones) => {
        expect(containsCardNumber(`call ${phones.join(', or ')}`)).toBe(false);
      }),
    );
    expect(containsCardNumber('+86 138 0013 8000')).toBe(false);
    expect(containsCardNumber('+8613800138000')).toBe(false);
  });

  it('never refuses UUIDs or hexadecimal digests, however many stand together', () => {
    const digest = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 });
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.uuid(), digest), { minLength: 1, maxLength: 3 }), fc.constantFrom(' ', '-', ':', '/'), (ids, joint) => {
        expect(containsCardNumber(ids.join(joint))).toBe(false);
      }),
    );
  });

  it('never refuses quantities, prices and short numbers between words, nor any digit string of 12 or fewer digits however it is split', () => {
    const quantity = fc.tuple(fc.integer({ min: 0, max: 99_999 }), fc.constantFrom('units', 'x', 'EUR', 'kg', 'of SKU', 'pcs,'));
    fc.assert(
      fc.property(fc.array(quantity, { minLength: 1, maxLength: 8 }), (items) => {
        expect(containsCardNumber(items.map(([n, unit]) => `${n} ${unit}`).join(' '))).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789 -./_'), maxLength: 40 }), (text) => {
        fc.pre(text.replace(/\D/g, '').length <= 12);
        expect(containsCardNumber(text)).toBe(false);
      }),
    );
  });

  it('never refuses a number with a wrong check digit, nor one longer than 19 digits', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 12, maxLength: 18 }), fc.integer({ min: 1, max: 9 }), (body, shift) => {
        const valid = withCheckDigit(body);
        expect(containsCardNumber(`${body}${(Number(valid.at(-1)) + shift) % 10}`)).toBe(false);
      }),
    );
    expect(containsCardNumber('tracking 12345678901234567894')).toBe(false);
  });
});

describe('the gateway reference rule: a card number is one that carries a brand prefix', () => {
  it.each([
    ['4111111111111111', 'visa'],
    ['5500000000000004', 'mastercard'],
    ['2221000000000009', 'mastercard'],
    ['378282246310005', 'amex'],
    ['6011000990139424', 'discover'],
    ['3530111333300000', 'jcb'],
    ['30569309025904', 'diners'],
    ['6200000000000005', 'unionpay'],
  ])('%s is a %s card', (digits, brand) => {
    expect(cardBrandOf(digits)).toBe(brand);
    expect(containsBrandedCardNumber(`ref ${digits}`)).toBe(true);
  });

  it('lets a 16-digit reference through when it passes Luhn but carries no brand prefix', () => {
    const unbranded = fc
      .tuple(fc.constantFrom('0', '1', '7', '8', '9'), fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 14, maxLength: 14 }))
      .map(([first, rest]) => withCheckDigit(`${first}${rest}`))
      .filter((digits) => cardBrandOf(digits) === null);
    fc.assert(
      fc.property(unbranded, (reference) => {
        expect(containsCardNumber(reference)).toBe(true);
        expect(containsBrandedCardNumber(reference)).toBe(false);
      }),
    );
  });
});
