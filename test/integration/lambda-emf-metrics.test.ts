import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DynamoDbSettings } from '../../src/adapters/dynamodb/dynamodb-settings.js';
import { appFrom } from '../../src/main/app.js';
import { loadConfig } from '../../src/main/config.js';
import { createContainer } from '../../src/main/container.js';
import { deadlineHandler, handler } from '../../src/main/lambda-stream-handler.js';
import { localSettings } from '../support/dynamodb-adapters.js';
import { streamRecords } from '../support/dynamodb-stream-records.js';
import { useDynamoDbLocal } from '../support/dynamodb-suite.js';
import { context } from '../support/memory-app.js';

interface EmfDocument {
  readonly _aws: { readonly CloudWatchMetrics: readonly { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  readonly [key: string]: unknown;
}

const { server } = useDynamoDbLocal();
let settings: DynamoDbSettings;
const saved = { ...process.env };

beforeAll(() => {
  settings = localSettings(server());
  // The functions are configured from their environment only, as on AWS.
  Object.assign(process.env, {
    STORE: 'dynamodb',
    DYNAMODB_ENDPOINT: settings.endpoint ?? '',
    DYNAMODB_TABLE_PREFIX: settings.tablePrefix,
    AWS_REGION: settings.region,
    METRICS: 'emf',
    MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'error',
  });
});
afterAll(() => {
  process.env = saved;
});

/** The EMF documents the code under test writes to stdout while `run` runs (other lines, such as logs, are let through). */
const emfWrittenBy = async <T>(run: () => Promise<T>): Promise<{ result: T; documents: EmfDocument[] }> => {
  const documents: EmfDocument[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    for (const line of String(chunk).split('\n')) {
      if (!line.includes('"_aws"')) continue;
      documents.push(JSON.parse(line) as EmfDocument);
    }
    return String(chunk).includes('"_aws"') ? true : write(chunk, ...(rest as []));
  });
  try {
    return { result: await run(), documents };
  } finally {
    spy.mockRestore();
  }
};

const holding = (documents: readonly EmfDocument[], name: string): EmfDocument[] =>
  documents.filter((document) => document._aws.CloudWatchMetrics[0]?.Metrics.some((metric) => metric.Name === name));

const definitionOf = (documents: readonly EmfDocument[], name: string) => {
  const [document] = holding(documents, name);
  if (document === undefined) throw new Error(`no EMF document holds ${name}; names written: ${[...new Set(documents.flatMap((d) => d._aws.CloudWatchMetrics[0]?.Metrics.map((m) => m.Name) ?? []))].join(', ')}`);
  const [definition] = document._aws.CloudWatchMetrics;
  return { document, namespace: definition?.Namespace, dimensions: definition?.Dimensions, unit: definition?.Metrics.find((metric) => metric.Name === name)?.Unit };
};

describe('METRICS=emf in the Lambda functions', () => {
  it("writes the ADR's four metrics with their dimensions, and each consumer's lag, at the end of a stream invocation", async () => {
    // An order placed through the service (no payment method yet): the table's stream now holds its events, and the
    // workflow the Lambda runs will reserve its stock and wait for the payment method.
    const service = appFrom(await createContainer(loadConfig({ ...process.env, METRICS: 'prometheus' }, { fulfilment: 'manual' })), {});
    try {
      const ctx = context();
      (await service.customers.handle({ type: 'RegisterCustomer', customerId: 'c-1', personal: { name: 'Ada', email: 'ada@example.com', address: '1 Road' } }, ctx))._unsafeUnwrap();
      (await service.inventory.handle({ type: 'ReceiveStock', sku: 'SKU-1', quantity: 10 }, ctx))._unsafeUnwrap();
      const lines = [{ sku: 'SKU-1', quantity: 2, unitPrice: 1000 }];
      const shippingAddress = { line1: '1 Road', city: 'Porto', postalCode: '4000', country: 'PT' };
      (await service.orders.handle({ type: 'PlaceOrder', orderId: 'o-1', customerId: 'c-1', currency: 'EUR', lines, shippingAddress }, ctx))._unsafeUnwrap();
    } finally {
      await service.close();
    }
    const { records } = await streamRecords(settings);

    const { result, documents } = await emfWrittenBy(() => handler({ Records: records }));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents) expect(document._aws.CloudWatchMetrics[0]?.Namespace).toBe('EventSourcing');

    const time = definitionOf(documents, 'EventProcessingTime');
    expect(time).toMatchObject({ unit: 'Milliseconds', dimensions: [['EventType', 'Projection']] });
    expect(holding(documents, 'EventProcessingTime').map((d) => d.Projection)).toEqual(expect.arrayContaining(['order-summary', 'inventory-levels', 'support-history']));
    const outcome = definitionOf(documents, 'EventProcessingResult');
    expect(outcome).toMatchObject({ unit: 'Count', dimensions: [['EventType', 'Projection', 'Result']] });
    expect(outcome.document).toMatchObject({ Result: 'Success', EventProcessingResult: expect.anything() });
    // The workflow's commands load aggregates: the repository's two metrics, by aggregate type.
    const load = definitionOf(documents, 'AggregateLoadTime');
    expect(load).toMatchObject({ unit: 'Milliseconds', dimensions: [['AggregateType']] });
    expect(definitionOf(documents, 'EventsLoaded')).toMatchObject({ unit: 'Count', dimensions: [['AggregateType']] });
    expect(load.document.AggregateType).toEqual(expect.any(String));
    const lag = definitionOf(documents, 'SubscriptionLag');
    expect(lag).toMatchObject({ unit: 'Milliseconds', dimensions: [['Consumer']] });
    expect(holding(documents, 'SubscriptionLag').map((d) => d.Consumer)).toEqual(expect.arrayContaining(['order-summary', 'workflow:order-fulfilment']));
  });

  it('writes the workflow gauges and the dead letters outstanding at the end of a deadline invocation', async () => {
    const { result, documents } = await emfWrittenBy(() => deadlineHandler());
    expect(result).toEqual({ fired: 0 });
    expect(definitionOf(documents, 'WorkflowsPastDeadline')).toMatchObject({ unit: 'Count', dimensions: [['Workflow']], document: { WorkflowsPastDeadline: 0 } });
    expect(definitionOf(documents, 'WorkflowsInFlight').document).toMatchObject({ Workflow: 'order-fulfilment', WorkflowsInFlight: 1 });
    expect(definitionOf(documents, 'DeadLetters')).toMatchObject({ unit: 'Count', document: { DeadLetters: 0 } });
  });
});
