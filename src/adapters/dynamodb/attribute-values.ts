/**
 * An attribute value in DynamoDB's wire shape (`{ "S": "..." }`), as the SDK's AttributeValue, the
 * Streams client's and a Lambda event's records all carry it.
 */
export interface WireAttributeValue {
  readonly S?: string;
  readonly N?: string;
}

/**
 * Plain values from the raw attribute values that condition failures and stream records carry. Our
 * items hold only text and numbers (JSON goes in as text), so nothing else is expected here.
 */
export const plainItem = (attributes: Readonly<Record<string, WireAttributeValue>>): Record<string, string | number> => {
  const plain: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (value.S !== undefined) plain[name] = value.S;
    else if (value.N !== undefined) plain[name] = Number(value.N);
    else throw new Error(`attribute ${name} holds a type this adapter never writes: ${Object.keys(value).join(', ')}`);
  }
  return plain;
};
