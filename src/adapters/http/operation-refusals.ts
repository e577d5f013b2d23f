import type { HttpErrorCode } from './status-codes.js';

type Codes = readonly HttpErrorCode[];

/** What any command sent as JSON can meet besides its rules: its body, its idempotency key, the store. */
const COMMAND: Codes = [
  'REQUEST.INVALID',
  'REQUEST.MALFORMED',
  'REQUEST.INVALID_ENCODING',
  'REQUEST.TOO_LARGE',
  'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  'EVENT_STORE.CONCURRENCY_CONFLICT',
  'IDEMPOTENCY.IN_PROGRESS',
  'IDEMPOTENCY.KEY_REUSED',
  'EVENT_STORE.UNAVAILABLE',
  'STORE.UNAVAILABLE',
];
/** What any read can meet: a bad path or query, the store down. */
const READ: Codes = ['REQUEST.INVALID', 'STORE.UNAVAILABLE'];
/** A read as of a time replays at most so many streams. */
const READ_AS_OF: Codes = [...READ, 'READ_MODEL.AS_OF_TOO_BROAD'];
const command = (...codes: Codes): Codes => [...COMMAND, ...codes];
// Every command of an aggregate refuses a card number in any of its text (the command handler's guard).
const order = (...codes: Codes): Codes => command('ORDER.CARD_NUMBER_IN_TEXT', ...codes);
const payment = (...codes: Codes): Codes => command('PAYMENT.CARD_NUMBER_IN_TEXT', ...codes);
const inventory = (...codes: Codes): Codes => command('INVENTORY.CARD_NUMBER_IN_TEXT', ...codes);
const customer = (...codes: Codes): Codes => command('CUSTOMER.CARD_NUMBER_IN_TEXT', ...codes);
/** Any request: a header that is stored or logged carrying a card number. */
const ANY_REQUEST: Codes = ['VALIDATION.CARD_NUMBER'];

// Refusals shared by several commands of one aggregate.
const ORDER_REASON: Codes = ['ORDER.NOT_FOUND', 'ORDER.REASON_REQUIRED'];
const PAYMENT_EXISTING: Codes = ['PAYMENT.NOT_FOUND'];
// Inventory commands may start the SKU's stream: none answers INVENTORY.NOT_FOUND.
const RESERVATION: Codes = ['INVENTORY.UNKNOWN_RESERVATION'];
const AGGREGATE_PATH: Codes = ['AGGREGATE.UNKNOWN_TYPE', 'ORDER.NOT_FOUND', 'PAYMENT.NOT_FOUND', 'INVENTORY.NOT_FOUND', 'CUSTOMER.NOT_FOUND'];
const PROJECTION: Codes = ['REQUEST.INVALID', 'PROJECTION.NOT_FOUND', 'STORE.UNAVAILABLE'];

/**
 * Every code each operation can answer besides an unexpected 500 (`INTERNAL`, with an error id) and the
 * authentication codes its access rule brings: the rules its decider applies (see each aggregate's `decide*`), the
 * facts it reads from other aggregates, and what its transport and store can refuse. Keyed `METHOD url` as the routes
 * are registered; the OpenAPI document groups each list by status (STATUS_BY_CODE) into the operation's responses and
 * its `x-error-codes`. A test keeps every route here and every code in some route.
 */
export const OPERATION_REFUSALS: Readonly<Record<string, Codes>> = {
  'GET /health': [],
  'GET /metrics': [],
  'GET /openapi.json': [],
  'POST /payments/:paymentId/gateway-events': [
    'REQUEST.INVALID',
    'REQUEST.INVALID_ENCODING',
    'REQUEST.TOO_LARGE',
    'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    'GATEWAY.SIGNATURE_INVALID',
    'GATEWAY.INVALID_EVENT',
    'GATEWAY.PAYMENT_MISMATCH',
    'PAYMENT.NOT_FOUND',
    'PAYMENT.CANNOT_COMPLETE',
    'PAYMENT.CARD_NUMBER_IN_TEXT',
    'EVENT_STORE.CONCURRENCY_CONFLICT',
    'IDEMPOTENCY.IN_PROGRESS',
    'EVENT_STORE.UNAVAILABLE',
    'STORE.UNAVAILABLE',
  ],

  'POST /customers': customer('CUSTOMER.ALREADY_REGISTERED', 'CUSTOMER.INVALID_DETAILS'),
  'PATCH /customers/:customerId': customer('CUSTOMER.NOT_FOUND', 'CUSTOMER.NOT_REGISTERED', 'CUSTOMER.INVALID_DETAILS', 'CUSTOMER.NOTHING_CHANGED', 'CUSTOMER.ERASED'),
  'POST /customers/:customerId/support-interactions': customer('CUSTOMER.NOT_FOUND', 'CUSTOMER.NOT_REGISTERED', 'CUSTOMER.INVALID_CHANNEL', 'CUSTOMER.INVALID_INTERACTION', 'CUSTOMER.ERASED'),
  'GET /customers/:customerId/orders': READ_AS_OF,
  'GET /customers/:customerId/support-history': READ_AS_OF,
  'POST /customers/:customerId/erasure': customer('CUSTOMER.NOT_FOUND', 'CUSTOMER.NOT_REGISTERED', 'CUSTOMER.ALREADY_ERASED'),

  'POST /inventory/:sku/receive': inventory('INVENTORY.INVALID_QUANTITY', 'INVENTORY.CAPACITY_EXCEEDED'),
  'POST /inventory/:sku/reserve': inventory(
    'INVENTORY.INVALID_QUANTITY',
    'INVENTORY.ALREADY_RESERVED',
    'INVENTORY.INSUFFICIENT_STOCK',
    'INVENTORY.ORDER_NOT_FOUND',
    'INVENTORY.ORDER_NOT_OPEN',
    'INVENTORY.SKU_NOT_IN_ORDER',
    'INVENTORY.QUANTITY_NOT_ORDERED',
  ),
  'POST /inventory/:sku/release': inventory(...RESERVATION),
  'POST /inventory/:sku/allocate': inventory(...RESERVATION),
  'GET /inventory': READ_AS_OF,
  'GET /inventory/:sku': [...READ, 'INVENTORY.NOT_FOUND'],

  'POST /orders': order(
    'ORDER.ALREADY_EXISTS',
    'ORDER.INVALID_CUSTOMER',
    'ORDER.CUSTOMER_NOT_REGISTERED',
    'ORDER.INVALID_CURRENCY',
    'ORDER.INVALID_COUNTRY',
    'ORDER.NO_LINES',
    'ORDER.INVALID_LINE',
    'ORDER.INVALID_SKU',
    'ORDER.INVALID_QUANTITY',
    'ORDER.INVALID_UNIT_PRICE',
    'ORDER.INVALID_TAX_RATE',
    'ORDER.TOTAL_TOO_LARGE',
    'ORDER.INVALID_METHOD_TOKEN',
    'ORDER.CARD_NUMBER_REFUSED',
  ),
  'POST /orders/:orderId/payment-method': order('ORDER.NOT_FOUND', 'ORDER.CANNOT_PROVIDE_PAYMENT_METHOD', 'ORDER.INVALID_METHOD_TOKEN', 'ORDER.CARD_NUMBER_REFUSED'),
  'POST /orders/:orderId/confirm': order(
    'ORDER.NOT_FOUND',
    'ORDER.CANNOT_CONFIRM',
    'ORDER.PAYMENT_REQUIRED',
    'ORDER.PAYMENT_NOT_FOUND',
    'ORDER.PAYMENT_FOR_ANOTHER_ORDER',
    'ORDER.PAYMENT_NOT_COMPLETED',
    'ORDER.PAYMENT_AMOUNT_MISMATCH',
  ),
  'POST /orders/:orderId/ship': order('ORDER.NOT_FOUND', 'ORDER.CANNOT_SHIP', 'ORDER.INVALID_SHIPMENT', 'ORDER.PAYMENT_NOT_COMPLETED'),
  'POST /orders/:orderId/deliver': order('ORDER.NOT_FOUND', 'ORDER.CANNOT_DELIVER'),
  'POST /orders/:orderId/cancel': order(...ORDER_REASON, 'ORDER.CANNOT_CANCEL'),
  'POST /orders/:orderId/return': order(...ORDER_REASON, 'ORDER.CANNOT_RETURN', 'ORDER.RETURN_WINDOW_CLOSED'),
  'GET /orders/:orderId': [...READ, 'ORDER.NOT_FOUND'],
  'GET /orders/:orderId/fulfilment': [...READ, 'FULFILMENT.NOT_FOUND'],

  'POST /payments': payment(
    'PAYMENT.ALREADY_REQUESTED',
    'PAYMENT.AMOUNT_NOT_POSITIVE',
    'MONEY.INVALID_AMOUNT',
    'MONEY.INVALID_CURRENCY',
    'PAYMENT.INVALID_METHOD_TOKEN',
    'PAYMENT.CARD_NUMBER_REFUSED',
    'PAYMENT.ORDER_NOT_FOUND',
    'PAYMENT.ORDER_NOT_PAYABLE',
    'PAYMENT.CURRENCY_MISMATCH',
    'PAYMENT.EXCEEDS_AMOUNT_DUE',
  ),
  'POST /payments/:paymentId/complete': payment(...PAYMENT_EXISTING, 'PAYMENT.CANNOT_COMPLETE'),
  'POST /payments/:paymentId/cancel': payment(...PAYMENT_EXISTING, 'PAYMENT.CANNOT_CANCEL', 'PAYMENT.REASON_REQUIRED'),
  'POST /payments/:paymentId/refund': payment(...PAYMENT_EXISTING, 'PAYMENT.CANNOT_REFUND', 'PAYMENT.INVALID_REFUND_AMOUNT', 'PAYMENT.REFUND_EXCEEDS_REMAINING'),

  'GET /aggregates/:type/:id': [...READ, ...AGGREGATE_PATH],
  'GET /aggregates/:type/:id/events': [...READ, ...AGGREGATE_PATH],
  'GET /aggregates/:type/:id/verification': [...READ, ...AGGREGATE_PATH],

  'GET /projections': ['STORE.UNAVAILABLE'],
  'POST /projections/:name/retry': PROJECTION,
  'POST /projections/:name/park': PROJECTION,
  'POST /projections/:name/rebuild': [...PROJECTION, 'PROJECTION.REBUILD_IN_PROGRESS'],
};

/** The codes of a route as registered; HEAD answers like GET. Undefined for a route the table misses (a test fails on it). */
export const refusalsOf = (method: string, url: string): Codes | undefined => {
  const codes = OPERATION_REFUSALS[`${method === 'HEAD' ? 'GET' : method} ${url}`];
  return codes === undefined ? undefined : [...ANY_REQUEST, ...codes];
};
