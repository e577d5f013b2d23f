import type { ApplicationErrorCode } from '../../application/error-codes.js';
import type { AuthErrorCode } from './access-control.js';
import type { RequestErrorCode } from './request-errors.js';

/**
 * The one table from the application's error codes to HTTP statuses.
 * - 404: the id names nothing;
 * - 409: the resource's current state refuses the command (retrying as it is will not help until the state changes);
 * - 422: the request is well formed but the domain refuses what it asks for;
 * - 501/503: the store cannot serve this now or at all;
 * - 500: corrupt history and invalid appends are bugs or broken data, never the caller's fault: answered as an
 *   unexpected error with an id, and logged.
 * The table is total: the compiler checks it names every code of the application (and the transport's own), so a
 * new code without a status fails the typecheck.
 */
export type HttpErrorCode = ApplicationErrorCode | AuthErrorCode | RequestErrorCode;

export const STATUS_BY_CODE = {
  'ORDER.NOT_FOUND': 404,
  'PAYMENT.NOT_FOUND': 404,
  'INVENTORY.NOT_FOUND': 404,
  'CUSTOMER.NOT_FOUND': 404,
  'AGGREGATE.UNKNOWN_TYPE': 404,
  'PROJECTION.NOT_FOUND': 404,
  'FULFILMENT.NOT_FOUND': 404,
  'PROJECTION.REBUILD_IN_PROGRESS': 409,
  // A webhook whose signature is missing, wrong or too old: the caller is not (or no longer) the gateway.
  'GATEWAY.SIGNATURE_INVALID': 401,
  // No, a malformed, wrongly signed or expired bearer token (with WWW-Authenticate); a valid one without a role the route grants.
  'AUTH.UNAUTHENTICATED': 401,
  'AUTH.FORBIDDEN': 403,
  // The actor is the token's subject; a request naming another is refused rather than silently recorded otherwise.
  'AUTH.ACTOR_HEADER_REFUSED': 400,
  // The identity provider's JWKS could not be fetched: the caller's token may be fine (with Retry-After).
  'AUTH.KEYS_UNAVAILABLE': 503,

  'ORDER.ALREADY_EXISTS': 409,
  'ORDER.CANNOT_CONFIRM': 409,
  'ORDER.CANNOT_SHIP': 409,
  'ORDER.CANNOT_DELIVER': 409,
  'ORDER.CANNOT_CANCEL': 409,
  'ORDER.CANNOT_RETURN': 409,
  'ORDER.RETURN_WINDOW_CLOSED': 409,
  'ORDER.CANNOT_PROVIDE_PAYMENT_METHOD': 409,
  // Cross-aggregate refusals that another aggregate's state can lift (the payment completes, a new order is placed).
  'ORDER.PAYMENT_NOT_COMPLETED': 409,
  'PAYMENT.ORDER_NOT_PAYABLE': 409,
  'INVENTORY.ORDER_NOT_OPEN': 409,
  'PAYMENT.ALREADY_REQUESTED': 409,
  'PAYMENT.CANNOT_COMPLETE': 409,
  'PAYMENT.CANNOT_REFUND': 409,
  'PAYMENT.CANNOT_CANCEL': 409,
  'PAYMENT.REFUND_EXCEEDS_REMAINING': 409,
  'INVENTORY.ALREADY_RESERVED': 409,
  'INVENTORY.INSUFFICIENT_STOCK': 409,
  'INVENTORY.CAPACITY_EXCEEDED': 409,
  'INVENTORY.UNKNOWN_RESERVATION': 409,
  'CUSTOMER.ALREADY_REGISTERED': 409,
  'CUSTOMER.NOT_REGISTERED': 409,
  'CUSTOMER.NOTHING_CHANGED': 409,
  'CUSTOMER.ERASED': 409,
  'CUSTOMER.ALREADY_ERASED': 409,
  'EVENT_STORE.CONCURRENCY_CONFLICT': 409,
  'IDEMPOTENCY.IN_PROGRESS': 409,
  // The executor answers it as IDEMPOTENCY.IN_PROGRESS (another run took the key over and appended nothing of this one's).
  'EVENT_STORE.IDEMPOTENCY_CLAIM_LOST': 409,

  'ORDER.INVALID_CUSTOMER': 422,
  'ORDER.INVALID_CURRENCY': 422,
  'ORDER.INVALID_COUNTRY': 422,
  'ORDER.NO_LINES': 422,
  'ORDER.INVALID_SKU': 422,
  'ORDER.INVALID_QUANTITY': 422,
  'ORDER.INVALID_UNIT_PRICE': 422,
  'ORDER.INVALID_TAX_RATE': 422,
  'ORDER.TOTAL_TOO_LARGE': 422,
  'ORDER.INVALID_LINE': 422,
  'ORDER.INVALID_SHIPMENT': 422,
  'ORDER.REASON_REQUIRED': 422,
  'ORDER.INVALID_METHOD_TOKEN': 422,
  'ORDER.CARD_NUMBER_REFUSED': 422,
  'ORDER.CUSTOMER_NOT_REGISTERED': 422,
  'ORDER.PAYMENT_REQUIRED': 422,
  'ORDER.PAYMENT_NOT_FOUND': 422,
  'ORDER.PAYMENT_FOR_ANOTHER_ORDER': 422,
  'ORDER.PAYMENT_AMOUNT_MISMATCH': 422,
  'PAYMENT.ORDER_NOT_FOUND': 422,
  'PAYMENT.CURRENCY_MISMATCH': 422,
  'PAYMENT.EXCEEDS_AMOUNT_DUE': 422,
  'PAYMENT.REASON_REQUIRED': 422,
  'INVENTORY.ORDER_NOT_FOUND': 422,
  'INVENTORY.SKU_NOT_IN_ORDER': 422,
  'INVENTORY.QUANTITY_NOT_ORDERED': 422,
  'PAYMENT.INVALID_METHOD_TOKEN': 422,
  'PAYMENT.CARD_NUMBER_REFUSED': 422,
  'ORDER.CARD_NUMBER_IN_TEXT': 422,
  'PAYMENT.CARD_NUMBER_IN_TEXT': 422,
  'CUSTOMER.CARD_NUMBER_IN_TEXT': 422,
  'INVENTORY.CARD_NUMBER_IN_TEXT': 422,
  // An actor, correlation or causation id or idempotency key holding a card number: bad input, like a malformed header.
  'VALIDATION.CARD_NUMBER': 400,
  'PAYMENT.AMOUNT_NOT_POSITIVE': 422,
  'PAYMENT.INVALID_REFUND_AMOUNT': 422,
  'MONEY.INVALID_CURRENCY': 422,
  'MONEY.INVALID_AMOUNT': 422,
  'INVENTORY.INVALID_QUANTITY': 422,
  'CUSTOMER.INVALID_DETAILS': 422,
  'CUSTOMER.INVALID_CHANNEL': 422,
  'CUSTOMER.INVALID_INTERACTION': 422,
  // The draft IETF Idempotency-Key header field: a key reused for another request is 422.
  'IDEMPOTENCY.KEY_REUSED': 422,
  // A read model as of a time replays at most so many streams per request (a customer with more orders than that).
  'READ_MODEL.AS_OF_TOO_BROAD': 422,
  'GATEWAY.INVALID_EVENT': 422,
  'GATEWAY.PAYMENT_MISMATCH': 422,

  'EVENT_STORE.UNAVAILABLE': 503,
  'STORE.UNAVAILABLE': 503,

  // The transport's own: requests it cannot read, routes and methods it does not have.
  'REQUEST.INVALID': 400,
  'REQUEST.MALFORMED': 400,
  'REQUEST.INVALID_ENCODING': 400,
  'REQUEST.REFUSED': 400,
  'ROUTE.NOT_FOUND': 404,
  'ROUTE.METHOD_NOT_ALLOWED': 405,
  'REQUEST.TOO_LARGE': 413,
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': 415,

  // Deliberately 500: corrupt or mismatched history (an event type the aggregate does not know, a gap in its
  // versions, a snapshot of another aggregate or state schema) and appends the store refuses as malformed are bugs
  // or broken data, never the caller's doing.
  'AGGREGATE.UNKNOWN_EVENT_TYPE': 500,
  'AGGREGATE.VERSION_GAP': 500,
  'AGGREGATE.SNAPSHOT_MISMATCH': 500,
  'AGGREGATE.SNAPSHOT_SCHEMA_CHANGED': 500,
  'EVENT_STORE.INVALID_APPEND': 500,
} as const satisfies Record<HttpErrorCode, number>;

const STATUSES: Readonly<Record<string, number>> = STATUS_BY_CODE;

/** The status of any code; a string the table does not know (a bug) is an unexpected error. */
export const statusOf = (code: string): number => STATUSES[code] ?? 500;
