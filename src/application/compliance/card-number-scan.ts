import { cardNumbersIn, maskCardNumbers, type CardBrand } from '../../domain/index.js';
import type { StoredText, StoredTextSource } from '../ports/stored-text.js';

/** A card number found in the store: where (with any card number in the key itself masked), and only its last four digits. */
export interface CardNumberFinding {
  readonly location: string;
  readonly field: string;
  readonly last4: string;
  readonly brand: CardBrand | null;
}

export interface CardNumberScanReport {
  readonly findings: readonly CardNumberFinding[];
  /** How many text values were read: a scan that read nothing proves nothing. */
  readonly valuesScanned: number;
  readonly sources: readonly string[];
}

// Stores keep times as epoch milliseconds (lease expiries): 13 digits that pass the Luhn check one time in ten. From
// 2001-09-09 to 2049-03-22 such a number starts with 1 or 2, and no card brand issues 13-digit numbers there.
const EPOCH_MILLIS = { from: 1_000_000_000_000, to: 2_500_000_000_000 };
const isEpochMillis = ({ text, isNumber }: StoredText): boolean =>
  isNumber === true && /^\d{13}$/.test(text) && Number(text) >= EPOCH_MILLIS.from && Number(text) <= EPOCH_MILLIS.to;

const findingsIn = ({ location, field, text }: StoredText): CardNumberFinding[] => {
  const seen = new Set<string>();
  return cardNumbersIn(text)
    .filter((hit) => {
      // Overlapping spans of one number (a CVV typed after it) are one finding.
      const key = `${hit.last4}:${hit.end}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((hit) => ({ location: maskCardNumbers(location), field: maskCardNumbers(field), last4: hit.last4, brand: hit.brand }));
};

/**
 * Reads everything the sources hold and reports every card number in it (the rule: src/domain/shared/card-number.ts).
 * Nothing should ever be found: commands and headers carrying one are refused before anything is stored or logged.
 */
export const scanForCardNumbers = async (
  sources: readonly StoredTextSource[],
  progress: { readonly onTable?: (name: string) => void; readonly onFinding?: (finding: CardNumberFinding) => void } = {},
): Promise<CardNumberScanReport> => {
  const findings: CardNumberFinding[] = [];
  let valuesScanned = 0;
  for (const source of sources) {
    for await (const value of source.everything(progress.onTable)) {
      valuesScanned += 1;
      if (isEpochMillis(value)) continue;
      for (const finding of findingsIn(value)) {
        findings.push(finding);
        progress.onFinding?.(finding);
      }
    }
  }
  return { findings, valuesScanned, sources: sources.map((source) => source.description) };
};
