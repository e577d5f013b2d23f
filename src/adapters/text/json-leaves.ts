/** A string or whole number in a JSON document (or an object's key), with its path; numbers keep their exact digits. */
export interface JsonLeaf {
  readonly path: string;
  readonly text: string;
  readonly isNumber?: boolean;
}

const WHITESPACE = /\s/;

/**
 * Every leaf of a JSON text, in order. JSON.parse would round a number beyond 2^53, and a card number stored as a
 * 16-digit JSON number must be seen with every digit, so this reads the text itself.
 */
export const jsonLeaves = (json: string): JsonLeaf[] => {
  const leaves: JsonLeaf[] = [];
  let at = 0;
  const skip = (): void => {
    while (at < json.length && WHITESPACE.test(json.charAt(at))) at += 1;
  };
  const string = (): string => {
    const start = at;
    at += 1;
    while (json.charAt(at) !== '"') at += json.charAt(at) === '\\' ? 2 : 1;
    at += 1;
    return JSON.parse(json.slice(start, at)) as string;
  };
  const value = (path: string): void => {
    skip();
    const char = json.charAt(at);
    if (char === '"') {
      leaves.push({ path, text: string() });
    } else if (char === '{' || char === '[') {
      at += 1;
      let index = 0;
      for (skip(); json.charAt(at) !== '}' && json.charAt(at) !== ']'; skip()) {
        if (char === '{') {
          const key = string();
          leaves.push({ path: path === '' ? '(a key)' : `${path} (a key)`, text: key });
          skip();
          at += 1; // the colon
          value(path === '' ? key : `${path}.${key}`);
        } else {
          value(`${path}[${index}]`);
          index += 1;
        }
        skip();
        if (json.charAt(at) === ',') at += 1;
      }
      at += 1;
    } else {
      const literal = /^[^\s,\]}]+/.exec(json.slice(at, at + 400))?.[0] ?? '';
      at += Math.max(literal.length, 1);
      // A fraction or an exponent is a measurement, never a card number: only whole numbers are leaves.
      if (/^-?\d+$/.test(literal)) leaves.push({ path, text: literal, isNumber: true });
    }
  };
  value('');
  return leaves;
};
