/** How features write values a person reads easily, and what the application receives for them. */

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * "19.99" -> 1999, exactly: the point moves in the text, never through a binary float.
 * Digits past the second decimal stay a fraction ("19.999" -> 1999.9), so that the domain gets to refuse them.
 */
export const hundredths = (text: string): number => {
  const match = DECIMAL.exec(text);
  if (match === null) throw new Error(`${JSON.stringify(text)} is not a decimal amount such as 19.99`);
  const [, sign = '', whole = '', fraction = ''] = match;
  const cents = fraction.padEnd(2, '0');
  return Number(`${sign}${whole}${cents.slice(0, 2)}${cents.length > 2 ? `.${cents.slice(2)}` : ''}`);
};

export const INSTANT = /\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})? UTC/;

/** "2026-03-02 09:00 UTC" -> "2026-03-02T09:00:00.000Z"; a day alone is its midnight. */
export const instantOf = (text: string): string => {
  const [day, time = '00:00'] = text.replace(/ UTC$/, '').split(' ');
  const instant = new Date(`${day}T${time}:00Z`);
  if (!INSTANT.test(text) || Number.isNaN(instant.getTime())) throw new Error(`${JSON.stringify(text)} is not an instant such as 2026-03-02 09:00 UTC`);
  return instant.toISOString();
};
