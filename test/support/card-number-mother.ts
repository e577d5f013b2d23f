import fc from 'fast-check';

/** Appends the Luhn check digit to `body`. */
export const withCheckDigit = (body: string): string => {
  let sum = 0;
  for (let i = 0; i < body.length; i += 1) {
    let digit = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
};

/** A brand's prefix, its lengths and how people group its digits. */
const BRANDS = [
  { brand: 'visa', prefixes: ['4'], lengths: [13, 16, 19], grouping: [4, 4, 4, 4, 3] },
  { brand: 'mastercard', prefixes: ['51', '53', '55', '2221', '2720', '2500'], lengths: [16], grouping: [4, 4, 4, 4] },
  { brand: 'amex', prefixes: ['34', '37'], lengths: [15], grouping: [4, 6, 5] },
  { brand: 'discover', prefixes: ['6011', '644', '649', '65'], lengths: [16, 19], grouping: [4, 4, 4, 4, 3] },
  { brand: 'jcb', prefixes: ['3528', '3589'], lengths: [16], grouping: [4, 4, 4, 4] },
  { brand: 'diners', prefixes: ['300', '305', '36', '38'], lengths: [14], grouping: [4, 6, 4] },
  { brand: 'unionpay', prefixes: ['62'], lengths: [16, 19], grouping: [4, 4, 4, 4, 3] },
  { brand: 'maestro', prefixes: ['50', '56', '67'], lengths: [13, 16, 19], grouping: [4, 4, 4, 4, 3] },
] as const;

/** Separator runs as people type them (rule 2 of src/domain/shared/card-number.ts): 1 to 3 characters. */
export const SEPARATORS = [' ', '  ', '-', ' - ', '.', '_', '/', '\u00a0', '\u2009', '\u3000', '\u2013', '\u2014', '\u2212', '\uff0d', '\t', '\n', ' .', '_-'];

/** Decimal digits of other scripts, by their zero: full-width, Arabic-Indic, Devanagari, Bengali, Thai, mathematical bold. */
const ZEROS = [0x30, 0xff10, 0x660, 0x966, 0x9e6, 0xe50, 0x1d7ce];

export interface TypedCardNumber {
  /** The plain digits (for the assertion only: never logged by a test). */
  readonly digits: string;
  /** As typed: grouped, with separators, maybe in another script's digits. */
  readonly typed: string;
  readonly brand: string;
}

const inScript = (digits: string, zero: number): string => [...digits].map((d) => String.fromCodePoint(zero + Number(d))).join('');

/** Splits digits as people write them: unbroken, by the brand's grouping, in fours, or digit by digit. */
const grouped = (digits: string, style: number, brandGrouping: readonly number[]): string[] => {
  const sizes = style === 0 ? [digits.length] : style === 1 ? brandGrouping : style === 2 ? Array(5).fill(4) : Array(digits.length).fill(1);
  const groups: string[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= digits.length) break;
    groups.push(digits.slice(at, at + size));
    at += size;
  }
  if (at < digits.length) groups.push(digits.slice(at));
  return groups;
};

/** A Luhn-valid card number of a random brand, typed with random separators and digits of a random script. */
export const typedCardNumber = (): fc.Arbitrary<TypedCardNumber> =>
  fc
    .record({
      brand: fc.constantFrom(...BRANDS),
      pick: fc.nat(),
      body: fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 19, maxLength: 19 }),
      style: fc.integer({ min: 0, max: 3 }),
      separators: fc.array(fc.constantFrom(...SEPARATORS), { minLength: 19, maxLength: 19 }),
      zero: fc.constantFrom(...ZEROS),
      sameSeparator: fc.boolean(),
    })
    .map(({ brand, pick, body, style, separators, zero, sameSeparator }) => {
      const prefix = brand.prefixes[pick % brand.prefixes.length] ?? '4';
      const length = brand.lengths[pick % brand.lengths.length] ?? 16;
      const digits = withCheckDigit((prefix + body).slice(0, length - 1));
      const groups = grouped(digits, style, brand.grouping).map((group) => inScript(group, zero));
      const typed = groups.reduce((text, group, i) => (i === 0 ? group : `${text}${sameSeparator ? separators[0] : separators[i]}${group}`), '');
      return { digits, typed, brand: brand.brand };
    });
