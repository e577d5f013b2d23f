/** DynamoDB's largest item: 400 KB, names and values counted together. */
export const MAX_ITEM_BYTES = 400 * 1024;
/** The largest TransactWriteItems request, all items together. */
export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

/** A number's size: about one byte per two significant digits, plus one. */
const numberBytes = (value: number): number => Math.ceil(String(Math.abs(value)).replace(/e.*$|\D|^0+/g, '').length / 2) + 1;

/** An item's size as DynamoDB counts it, for items of text and number attributes. */
export const itemBytes = (item: object): number =>
  Object.entries(item).reduce((total, [name, value]) => {
    if (value === undefined) return total;
    const valueBytes = typeof value === 'number' ? numberBytes(value) : Buffer.byteLength(String(value), 'utf8');
    return total + Buffer.byteLength(name, 'utf8') + valueBytes;
  }, 0);

export const kilobytes = (bytes: number): string => `${(bytes / 1024).toLocaleString('en', { maximumFractionDigits: 1 })} KB`;
