import { containsBrandedCardNumber, containsCardNumber, domainError, type DomainError } from '../../domain/index.js';
import type { CommandContext } from './command-executor.js';

/** What a command's metadata (actor, correlation and causation ids, idempotency key) is refused with. */
export const CARD_NUMBER_ERRORS = {
  IN_METADATA: 'VALIDATION.CARD_NUMBER',
} as const;

/**
 * How one aggregate's commands are refused when a field holds a card number, and which fields are a payment
 * gateway's own references (field paths as `cardNumberFieldsIn` names them, e.g. `gateway.reference`).
 */
export interface CardNumberRule {
  /** Any field but the payment method. */
  readonly inText: string;
  /** The payment method field (`paymentMethodToken`), when the aggregate takes one. */
  readonly asPaymentMethod?: string;
  /**
   * A gateway's transaction ids and references are digit strings of its own making, and one in ten passes the Luhn
   * check by chance: in these fields only a number carrying a card brand's IIN prefix counts as a card number.
   */
  readonly gatewayReferences?: readonly string[];
}

const PAYMENT_METHOD = 'paymentMethodToken';

/**
 * Every field of a value that holds a card number, as paths (`lines[0].sku`, `personal.address`, `a key of x`):
 * strings, numbers and object keys alike, at any depth. Never the value itself.
 */
export const cardNumberFieldsIn = (value: unknown, isCard: (path: string, text: string) => boolean = (_path, text) => containsCardNumber(text), path = ''): string[] => {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return isCard(path, String(value)) ? [path] : [];
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((item, index) => cardNumberFieldsIn(item, isCard, `${path}[${index}]`));
  return Object.entries(value).flatMap(([key, item]) => {
    const at = path === '' ? key : `${path}.${key}`;
    return [...(containsCardNumber(key) ? [`a key of ${path === '' ? 'the command' : path}`] : []), ...cardNumberFieldsIn(item, isCard, at)];
  });
};

const METADATA_FIELDS = ['actor', 'correlationId', 'causationId'] as const;

/** The first field of the command's metadata or idempotency key that holds a card number. */
const metadataField = (context: CommandContext): string | null => {
  for (const field of METADATA_FIELDS) {
    const value = context.metadata[field];
    if (typeof value === 'string' && containsCardNumber(value)) return `metadata.${field}`;
  }
  return context.idempotencyKey !== undefined && containsCardNumber(context.idempotencyKey) ? 'idempotencyKey' : null;
};

/**
 * Refuses a command that carries a card number anywhere (PCI DSS): in any field of the command or in its metadata,
 * before anything is read, claimed, stored or logged. Every transport and workflow reaches the domain through the
 * command handler, so this is the one place that covers them all. The refusal names the field, never the number.
 */
export const refuseCardNumbers = (rule: CardNumberRule, command: unknown, context: CommandContext): DomainError | null => {
  const inMetadata = metadataField(context);
  if (inMetadata !== null) {
    return domainError(CARD_NUMBER_ERRORS.IN_METADATA, `${inMetadata} contains what looks like a card number; card numbers are never stored or logged`, { field: inMetadata });
  }
  const references = new Set(rule.gatewayReferences ?? []);
  const isCard = (path: string, text: string): boolean => (references.has(path) ? containsBrandedCardNumber(text) : containsCardNumber(text));
  const [field] = cardNumberFieldsIn(command, isCard);
  if (field === undefined) return null;
  if (field === PAYMENT_METHOD && rule.asPaymentMethod !== undefined) {
    return domainError(rule.asPaymentMethod, 'payment method looks like a card number; send the token your payment provider issued instead', { field });
  }
  return domainError(rule.inText, `${field} contains what looks like a card number; card numbers are never stored`, { field });
};
