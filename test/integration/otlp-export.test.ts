import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFrom } from '../../src/main/app.js';
import { loadConfig } from '../../src/main/config.js';
import { createContainer } from '../../src/main/container.js';
import { context } from '../support/memory-app.js';
import { OtlpCollectorFake } from '../support/otlp-collector-fake.js';

let collector: OtlpCollectorFake;

beforeAll(async () => {
  collector = await OtlpCollectorFake.start();
});
afterAll(async () => {
  await collector.close();
});

describe('spans exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set', () => {
  it("batches the service's spans to the collector with its service.name, and flushes them when the app closes", async () => {
    const config = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_SERVICE_NAME: 'es-core-checkout' }, { store: 'memory' });
    const app = appFrom(await createContainer(config), {});
    (await app.inventory.handle({ type: 'ReceiveStock', sku: 'SKU-1', quantity: 10 }, context()))._unsafeUnwrap();
    // The batch processor holds spans up to five seconds: closing the app flushes what it holds.
    await app.close();

    const spans = collector.spans();
    const command = spans.find((span) => span.name === 'Inventory.ReceiveStock');
    expect(command?.service).toBe('es-core-checkout');
    expect(command?.attributes).toContainEqual({ key: 'es_core.command.outcome', value: { stringValue: 'accepted' } });
    expect(spans.filter((span) => span.parentSpanId === command?.spanId).map((span) => span.name)).toEqual(['load', 'decide', 'append']);
  });
});
