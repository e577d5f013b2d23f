/**
 * Checkouts as a shop sees them: who buys what, and how their card behaves at the simulated gateway. A run is
 * drawn from a seed, so that a failing mix can be drawn again.
 */

export interface Random {
  /** A number in [0, 1). */
  next(): number;
  /** A whole number from `min` to `max`, both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: small, fast and good enough to draw test data from a seed. */
export const seededRandom = (seed: number): Random => {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T };
};

/**
 * How the checkout's card fares: the gateway approves, declines, answers late, never answers; the customer gives
 * no card at all; or the basket asks for more than the warehouse will ever hold.
 */
export type CheckoutKind = 'approved' | 'declined' | 'slow' | 'silent' | 'no-card' | 'too-many';

/** Kinds that cannot end in a confirmed order, whatever else happens. */
export const NEVER_CONFIRMED: ReadonlySet<CheckoutKind> = new Set(['declined', 'silent', 'no-card', 'too-many']);

export interface CheckoutLine {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

export interface Checkout {
  readonly orderId: string;
  readonly customerId: string;
  readonly kind: CheckoutKind;
  readonly lines: readonly CheckoutLine[];
  readonly paymentMethodToken: string | null;
}

export interface Shop {
  readonly customerIds: readonly string[];
  /** Each SKU with the stock the warehouse receives once, before the first checkout. */
  readonly stock: Readonly<Record<string, number>>;
}

/** More of a SKU than any warehouse in these tests holds. */
const TOO_MANY = 1_000;

// Shares of each kind, the rest approved: mostly approved, some declined and slow, a few silent or without a card.
const KIND_SHARES: readonly (readonly [CheckoutKind, number])[] = [
  ['declined', 0.1],
  ['slow', 0.1],
  ['silent', 0.04],
  ['no-card', 0.02],
  ['too-many', 0.06],
];

const kindOf = (draw: number): CheckoutKind => {
  let floor = 0;
  for (const [kind, share] of KIND_SHARES) {
    floor += share;
    if (draw < floor) return kind;
  }
  return 'approved';
};

// Approved cards come both ways the gateway approves: an approve token, and any token it does not know.
const tokenFor = (kind: CheckoutKind, n: number, random: Random): string | null => {
  switch (kind) {
    case 'approved':
    case 'too-many':
      return random.next() < 0.5 ? `tok_approve_${n}` : `tok_visa_${n}`;
    case 'declined':
      return `tok_decline_${n}`;
    case 'slow':
      return `tok_slow_${n}`;
    case 'silent':
      return `tok_silent_${n}`;
    case 'no-card':
      return null;
    default: {
      const unknown: never = kind;
      throw new Error(`unknown checkout kind ${String(unknown)}`);
    }
  }
};

/** `count` checkouts of one or two distinct SKUs each, from the shop's customers, ids `<prefix>-<n>`. */
export const checkoutMix = (random: Random, shop: Shop, count: number, prefix: string): Checkout[] =>
  Array.from({ length: count }, (_, n) => {
    const kind = kindOf(random.next());
    const skus = Object.keys(shop.stock);
    const first = random.pick(skus);
    const chosen = random.next() < 0.5 ? [first] : [first, random.pick(skus.filter((sku) => sku !== first))];
    const lines = chosen.map((sku, index) => ({
      sku,
      quantity: kind === 'too-many' && index === 0 ? TOO_MANY : random.int(1, 3),
      unitPrice: random.int(250, 9_999),
    }));
    return { orderId: `${prefix}-${n}`, customerId: random.pick(shop.customerIds), kind, lines, paymentMethodToken: tokenFor(kind, n, random) };
  });

/** The body of `POST /orders` for a checkout, with its card token when it has one. */
export const placeOrderRequest = (checkout: Checkout) => ({
  orderId: checkout.orderId,
  customerId: checkout.customerId,
  currency: 'EUR',
  taxRate: 2000,
  lines: checkout.lines,
  shippingAddress: { line1: '1 Crash Lane', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB' },
  ...(checkout.paymentMethodToken === null ? {} : { paymentMethodToken: checkout.paymentMethodToken }),
});

/** The customer's registration body. */
export const registerCustomerRequest = (customerId: string) => ({
  customerId,
  personal: { name: `Customer ${customerId}`, email: `${customerId}@example.com`, address: '1 Crash Lane, Leeds' },
});
