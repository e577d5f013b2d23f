/** One value the store holds, as text, with where it is: what a scanner needs to search everything stored. */
export interface StoredText {
  /** The table (or file) and the record's key, e.g. `es_events stream_id=order-o-1 version=3`. */
  readonly location: string;
  /** The field within the record, e.g. `data.shippingAddress.line1`; empty for a whole line of a file. */
  readonly field: string;
  readonly text: string;
  /** A number the store holds as a number (its exact decimal digits in `text`), not a string. */
  readonly isNumber?: boolean;
}

/**
 * Everything a store holds (events, snapshots, read models, dead letters, idempotency records, deadlines, keys,
 * leases: every table, including ones added later), one text value at a time. Binary values (ciphertexts) are
 * not text and are left out.
 */
export interface StoredTextSource {
  /** What is being read, for progress lines: `PostgreSQL`, `DynamoDB (prefix dev-)`, a file name. */
  readonly description: string;
  /** Every text value, table by table, in pages; `onTable` hears each table or file as it is started. */
  everything(onTable?: (name: string) => void): AsyncIterable<StoredText>;
}
