import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpServer } from '../../src/adapters/http/http-server.js';
import { PrometheusMetrics } from '../../src/adapters/metrics/prometheus-metrics.js';
import { scanForCardNumbers } from '../../src/application/compliance/card-number-scan.js';
import { appFrom, type App } from '../../src/main/app.js';
import { loadConfig, type AppConfig } from '../../src/main/config.js';
import { createContainer } from '../../src/main/container.js';
import { openStoredTextSources } from '../../src/main/stored-text-sources.js';
import { bearer, testAuthConfig, testHttpAuth } from '../support/auth-tokens.js';
import { typedCardNumber, withCheckDigit, type TypedCardNumber } from '../support/card-number-mother.js';

/**
 * 10,000 requests, each a valid command with a card number (a random brand's, Luhn-valid, typed with random
 * separators and digits) put into one random field or header. Every one must be refused with a 4xx that names the
 * field and never echoes the number, and afterwards the scanner must find no card number anywhere in the PGlite
 * store (events, snapshots, read models, idempotency records...) nor in the service's log.
 */

const REQUESTS = 10_000;
const HEADERS = ['x-correlation-id', 'x-causation-id', 'idempotency-key', 'x-actor'] as const;

type Kind = 'id' | 'text' | 'email' | 'number';

interface Template {
  readonly method: 'POST' | 'PATCH';
  /** `:name` segments are path fields. */
  readonly url: string;
  readonly params: Readonly<Record<string, string>>;
  readonly body: Readonly<Record<string, unknown>>;
  /** Injectable body fields, by dotted path, and what they hold. */
  readonly fields: Readonly<Record<string, Kind>>;
}

const world = { customer: 'fz-c-1', sku: 'FZ-SKU-1', order: 'fz-o-1', payment: 'fz-p-1' };
const address = { line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4LB', country: 'GB' };

const templates = (n: number): Template[] => [
  {
    method: 'POST',
    url: '/customers',
    params: {},
    body: { customerId: `fz-new-c-${n}`, personal: { name: 'Ada Lovelace', email: 'ada@example.com', address: '12 St James Square, London' } },
    fields: { customerId: 'id', 'personal.name': 'text', 'personal.email': 'email', 'personal.address': 'text' },
  },
  { method: 'PATCH', url: '/customers/:customerId', params: { customerId: world.customer }, body: { personal: { address: '1 Road, Porto' } }, fields: { 'personal.address': 'text' } },
  {
    method: 'POST',
    url: '/customers/:customerId/support-interactions',
    params: { customerId: world.customer },
    body: { channel: 'PHONE', summary: 'asked about delivery on 2026-03-01, call back +44 20 7946 0958', agent: 'agent-7', orderId: world.order },
    fields: { summary: 'text', agent: 'text', orderId: 'id' },
  },
  { method: 'POST', url: '/inventory/:sku/receive', params: { sku: world.sku }, body: { quantity: 5 }, fields: { quantity: 'number' } },
  { method: 'POST', url: '/inventory/:sku/reserve', params: { sku: world.sku }, body: { orderId: world.order, quantity: 2 }, fields: { orderId: 'id', quantity: 'number' } },
  {
    method: 'POST',
    url: '/orders',
    params: {},
    body: {
      orderId: `fz-new-o-${n}`,
      customerId: world.customer,
      currency: 'EUR',
      taxRate: 2300,
      lines: [{ sku: world.sku, quantity: 2, unitPrice: 1999 }],
      shippingAddress: address,
      paymentMethodToken: 'tok_approve_visa',
    },
    fields: {
      orderId: 'id',
      customerId: 'id',
      'lines.0.sku': 'id',
      'lines.0.quantity': 'number',
      'lines.0.unitPrice': 'number',
      'shippingAddress.line1': 'text',
      'shippingAddress.city': 'text',
      'shippingAddress.postalCode': 'text',
      paymentMethodToken: 'text',
    },
  },
  { method: 'POST', url: '/orders/:orderId/payment-method', params: { orderId: world.order }, body: { paymentMethodToken: 'tok_visa_4242' }, fields: { paymentMethodToken: 'text' } },
  { method: 'POST', url: '/orders/:orderId/ship', params: { orderId: world.order }, body: { carrier: 'DHL', trackingNumber: 'JD014600006281' }, fields: { carrier: 'text', trackingNumber: 'text' } },
  { method: 'POST', url: '/orders/:orderId/cancel', params: { orderId: world.order }, body: { reason: 'customer changed their mind' }, fields: { reason: 'text' } },
  {
    method: 'POST',
    url: '/payments',
    params: {},
    body: { paymentId: `fz-new-p-${n}`, orderId: world.order, amount: 100, currency: 'EUR', paymentMethodToken: 'tok_visa_4242' },
    fields: { paymentId: 'id', orderId: 'id', amount: 'number', paymentMethodToken: 'text' },
  },
  {
    method: 'POST',
    url: '/payments/:paymentId/complete',
    params: { paymentId: world.payment },
    body: { transactionId: 'txn-1', gateway: { status: 'FAILURE', reference: 'gw-ref-1', error: 'insufficient funds' } },
    fields: { transactionId: 'id', 'gateway.reference': 'text', 'gateway.error': 'text' },
  },
  { method: 'POST', url: '/payments/:paymentId/cancel', params: { paymentId: world.payment }, body: { reason: 'duplicate' }, fields: { reason: 'text' } },
];

const ASCII_SEPARATORS = ['', '-', '.', '_'];

/** The card as a field of this kind accepts it: ids and headers are visible ASCII, emails need their @. */
const asField = (card: TypedCardNumber, kind: Kind, seed: number, original: string): unknown => {
  const ascii = () => {
    const separator = ASCII_SEPARATORS[seed % ASCII_SEPARATORS.length] ?? '';
    return card.digits.match(/.{1,4}/g)?.join(separator) ?? card.digits;
  };
  switch (kind) {
    case 'number':
      return Number(card.digits);
    case 'email':
      return `${ascii()}@example.com`;
    case 'id':
      return seed % 2 === 0 ? ascii() : `${original.slice(0, 20)}:${ascii()}`;
    case 'text':
      return [card.typed, `${original.slice(0, 50)} ${card.typed}`, `${card.typed}, ${original.slice(0, 50)}`][seed % 3];
  }
};

const setAt = (body: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> => {
  const copy = structuredClone(body) as Record<string, unknown>;
  const parts = path.split('.');
  let at: Record<string, unknown> = copy;
  for (const part of parts.slice(0, -1)) at = at[part] as Record<string, unknown>;
  at[parts.at(-1) ?? ''] = value;
  return copy;
};

const urlOf = (template: Template, params: Readonly<Record<string, string>>): string =>
  template.url.replace(/:(\w+)/g, (_match, name: string) => encodeURIComponent(params[name] ?? ''));

/** Where a refusal says the problem is: a rule's `details.field`, or each `errors[].field` of a schema refusal. */
const namedFields = (body: { details?: { field?: string; fields?: string[] }; errors?: { field: string }[] }): string[] => [
  ...(body.details?.field === undefined ? [] : [body.details.field]),
  ...(body.details?.fields ?? []),
  ...(body.errors ?? []).map((error) => error.field),
];

// `lines.0.sku` is named `lines[0].sku`.
const displayed = (path: string): string => path.replace(/\.(\d+)/g, '[$1]');

describe('card numbers injected into every field and header of every command', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'es-card-fuzz-'));
  const logFile = join(dataDir, 'service.log');
  const config: AppConfig = loadConfig({}, { store: 'pglite', dataDir, auth: testAuthConfig(), fulfilment: 'manual' });
  let app: App;
  let server: FastifyInstance;
  let headers: { authorization: string };
  const log = createWriteStream(logFile);

  beforeAll(async () => {
    app = appFrom(await createContainer(config));
    server = await buildHttpServer({ services: app, metrics: new PrometheusMetrics(), auth: await testHttpAuth(), logger: { level: 'info', stream: log } });
    headers = await bearer();
    const seed = async (method: 'POST' | 'PATCH', url: string, body: unknown) => {
      const response = await server.inject({ method, url, payload: body as object, headers });
      expect(response.statusCode, `${url}: ${response.body}`).toBeLessThan(300);
    };
    await seed('POST', '/customers', { customerId: world.customer, personal: { name: 'Grace Hopper', email: 'grace@example.com', address: '1 Road, Porto' } });
    await seed('POST', `/inventory/${world.sku}/receive`, { quantity: 100 });
    await seed('POST', '/orders', { orderId: world.order, customerId: world.customer, currency: 'EUR', taxRate: 2300, lines: [{ sku: world.sku, quantity: 2, unitPrice: 1999 }], shippingAddress: address });
    await seed('POST', '/payments', { paymentId: world.payment, orderId: world.order, amount: 4918, currency: 'EUR', paymentMethodToken: 'tok_visa_4242' });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await app?.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`refuses all ${REQUESTS} with a 4xx naming the field, and the scanner then finds none in the store or the log`, async () => {
    const cards = fc.sample(typedCardNumber(), REQUESTS);
    const picks = fc.sample(fc.tuple(fc.nat(), fc.nat(), fc.nat()), REQUESTS);
    const missed: string[] = [];
    for (let i = 0; i < REQUESTS; i += 1) {
      const card = cards[i] as TypedCardNumber;
      const [which, where, seed] = picks[i] as [number, number, number];
      const all = templates(i);
      const template = all[which % all.length] as Template;
      const pathFields = Object.keys(template.params);
      const bodyFields = Object.keys(template.fields);
      const slots = [...pathFields.map((f) => `path:${f}`), ...bodyFields.map((f) => `body:${f}`), ...HEADERS.map((h) => `header:${h}`)];
      const slot = slots[where % slots.length] ?? '';
      const [part, field] = slot.split(':') as ['path' | 'body' | 'header', string];
      let params = template.params;
      let body = template.body as Record<string, unknown>;
      const extra: Record<string, string> = {};
      if (part === 'path') params = { ...params, [field]: String(asField(card, 'id', seed, params[field] ?? '')) };
      if (part === 'body') body = setAt(body, field, asField(card, template.fields[field] ?? 'text', seed, String(field.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], body))));
      if (part === 'header') extra[field] = String(asField(card, 'id', seed, 'trace'));
      const response = await server.inject({ method: template.method, url: urlOf(template, params), payload: body, headers: { ...headers, ...extra } });
      const answer = response.json() as Parameters<typeof namedFields>[0];
      const expected = part === 'header' ? `header.${field}` : displayed(field);
      const named = namedFields(answer);
      const ok = response.statusCode >= 400 && response.statusCode < 500 && named.some((name) => name === expected || name.endsWith(`.${expected}`));
      const echoed = response.body.includes(card.digits) || response.body.includes(card.typed);
      if (!ok || echoed) missed.push(`${template.method} ${template.url} ${slot} (${card.brand}, typed ${JSON.stringify(card.typed)}): ${response.statusCode} ${echoed ? '(echoed) ' : ''}${response.body.slice(0, 200)}`);
    }
    expect(missed.slice(0, 10), `${missed.length} of ${REQUESTS} not refused as expected`).toEqual([]);

    // Honest text beside the card numbers: dates, phone numbers, UUIDs and long ids are accepted and stored.
    const honest = await server.inject({
      method: 'POST',
      url: `/customers/${world.customer}/support-interactions`,
      payload: { channel: 'EMAIL', summary: 'delivery 2026-03-01 - 2026-03-05, call +86 138 0013 8000, ref 8699d39d-8b0e-4515-b966-7207065126a8, parcel JD014600006281000000123', agent: 'agent-7' },
      headers: { ...headers, 'idempotency-key': `honest-${withCheckDigit('7')}-${'ab12'.repeat(10)}` },
    });
    expect(honest.statusCode, honest.body).toBe(200);

    await app.catchUp();
    await server.close();
    await app.close();
    await new Promise<void>((resolve) => log.end(resolve));
    // Card numbers in request paths reach the log only masked; bearer tokens never.
    const logged = readFileSync(logFile, 'utf8');
    expect(logged).toContain('[card number ending');
    expect(logged).not.toContain(headers.authorization.slice('Bearer '.length));
    const opened = await openStoredTextSources(config, logFile);
    try {
      const report = await scanForCardNumbers(opened.sources);
      expect(report.findings).toEqual([]);
      // The scan read the events, read models and log lines the run wrote: 20,000 log lines alone.
      expect(report.valuesScanned).toBeGreaterThan(REQUESTS);
    } finally {
      await opened.close();
    }
  }, 180_000);
});
