/**
 * One text for one value, whoever serialised it and in whatever key order: object keys sorted by their UTF-16
 * code units (as `Array.prototype.sort` compares them), no whitespace, numbers and strings as `JSON.stringify`
 * writes them (RFC 8785's rules for the values this project stores: strings, safe integers, booleans, null,
 * arrays and plain objects). Undefined members are left out, as JSON leaves them out.
 * Hashes and fingerprints are taken over this text, so a value read back from any store hashes as it did when written.
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`canonical JSON cannot hold ${typeof value}`);
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`canonical JSON cannot hold ${value}`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const members = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${members.join(',')}}`;
};
