import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * Plain values from the raw attribute values that condition failures and stream records carry. Our
 * items hold only text and numbers (JSON goes in as text), so nothing else is expected here.
 */
export const plainItem = (attributes: Readonly<Record<string, AttributeValue>>): Record<string, string | number> => {
  const plain: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (value.S !== undefined) plain[name] = value.S;
    else if (value.N !== undefined) plain[name] = Number(value.N);
    else throw new Error(`attribute ${name} holds a type this adapter never writes: ${Object.keys(value).join(', ')}`);
  }
  return plain;
};
