import { describe, expect, it } from 'vitest';
import { decideInventory, Inventory } from '../../src/domain/index.js';
import { deciderSpec } from '../support/decider-spec.js';
import { receive, stockReceived } from './mothers/inventory-mother.js';

const spec = deciderSpec(Inventory, decideInventory);

// The helper is what every aggregate test leans on: it must be able to fail.
describe('deciderSpec', () => {
  it('fails a then-step when other events were decided', () => {
    expect(() => spec.given([]).when(receive(2)).then([stockReceived(2)])).toThrow();
  });

  it('fails a then-step when the command was refused', () => {
    expect(() => spec.given([]).when(receive(0)).then([])).toThrow(/INVENTORY.INVALID_QUANTITY/);
  });

  it('fails a refusal step when the command succeeded or failed otherwise', () => {
    expect(() => spec.given([]).when(receive(2)).thenFailsWith('INVENTORY.INVALID_QUANTITY')).toThrow();
    expect(() => spec.given([]).when(receive(0)).thenFailsWith('INVENTORY.INSUFFICIENT_STOCK')).toThrow();
  });

  it('refuses a given history the aggregate cannot load', () => {
    const foreign = { type: 'OrderShipped', occurredAt: '2026-03-02T10:00:00.000Z', data: {} } as unknown as ReturnType<typeof stockReceived>;
    expect(() => spec.given([foreign]).when(receive(1))).toThrow(/AGGREGATE.UNKNOWN_EVENT_TYPE/);
  });
});
