import { describe, expect, it } from 'vitest';
import { Aggregate, decideInventory, Inventory, type AggregateSnapshot, type InventoryState } from '../../../src/domain/index.js';
import { receive, SKU, stockReceived, stockReserved } from '../mothers/inventory-mother.js';

const at = (day: number) => `2026-03-${String(day).padStart(2, '0')}T10:00:00.000Z`;
const history = (...events: { type: string; data: unknown }[]) => events.map((event, i) => ({ ...event, occurredAt: at(i + 1), version: i + 1 }));
const loaded = (...events: { type: string; data: unknown }[]) => new Aggregate(Inventory, SKU).loadFromHistory(history(...events))._unsafeUnwrap();

describe('Aggregate', () => {
  it('replays history into state and version', () => {
    const aggregate = loaded(stockReceived(5), stockReceived(3), stockReserved('order-1', 2));
    expect(aggregate.version).toBe(3);
    expect(aggregate.state).toEqual({ onHand: 8, reservations: { 'order-1': 2 }, allocations: {} });
    expect(aggregate.uncommittedEvents).toEqual([]);
  });

  it('takes createdAt and lastModifiedAt from event times', () => {
    const aggregate = loaded(stockReceived(5), stockReceived(3), stockReceived(1));
    expect(aggregate.createdAt).toBe(at(1));
    expect(aggregate.lastModifiedAt).toBe(at(3));
    aggregate.execute((state) => decideInventory(receive(1, at(9)), state));
    expect(aggregate.lastModifiedAt).toBe(at(9));
    expect(aggregate.createdAt).toBe(at(1));
  });

  it('has no times before its first event', () => {
    const aggregate = new Aggregate(Inventory, SKU);
    expect([aggregate.version, aggregate.createdAt, aggregate.lastModifiedAt]).toEqual([0, null, null]);
  });

  it('refuses an event type it does not know instead of skipping it', () => {
    const result = new Aggregate(Inventory, SKU).loadFromHistory(history(stockReceived(5), { type: 'OrderShipped', data: {} }));
    expect(result._unsafeUnwrapErr()).toMatchObject({ code: 'AGGREGATE.UNKNOWN_EVENT_TYPE', details: { eventType: 'OrderShipped', version: 2 } });
  });

  it('refuses a history with a version gap', () => {
    const [first, , third] = history(stockReceived(1), stockReceived(2), stockReceived(3));
    const result = new Aggregate(Inventory, SKU).loadFromHistory([first, third].filter((e) => e !== undefined));
    expect(result._unsafeUnwrapErr()).toMatchObject({ code: 'AGGREGATE.VERSION_GAP', details: { expected: 2, actual: 3 } });
  });

  it('tracks what is raised until it is committed', () => {
    const aggregate = loaded(stockReceived(5));
    aggregate.execute((state) => decideInventory(receive(2, at(5)), state));
    aggregate.execute((state) => decideInventory(receive(4, at(6)), state));
    expect([aggregate.version, aggregate.persistedVersion, aggregate.uncommittedEvents.length]).toEqual([3, 1, 2]);
    aggregate.markCommitted();
    expect([aggregate.version, aggregate.persistedVersion, aggregate.uncommittedEvents.length]).toEqual([3, 3, 0]);
  });

  it('raises nothing when a command is refused', () => {
    const aggregate = loaded(stockReceived(5));
    const result = aggregate.execute((state) => decideInventory(receive(0, at(5)), state));
    expect(result._unsafeUnwrapErr().code).toBe('INVENTORY.INVALID_QUANTITY');
    expect([aggregate.version, aggregate.uncommittedEvents.length]).toEqual([1, 0]);
  });

  describe('snapshots', () => {
    it('round-trips state, version and times, and continues from there', () => {
      const original = loaded(stockReceived(5), stockReserved('order-1', 2));
      const snapshot = original.createSnapshot();
      expect(snapshot).toMatchObject({ aggregateType: 'Inventory', aggregateId: SKU, version: 2, stateSchemaVersion: Inventory.stateSchemaVersion });
      const restored = new Aggregate(Inventory, SKU).loadFromSnapshot(snapshot)._unsafeUnwrap();
      expect([restored.state, restored.version, restored.createdAt, restored.lastModifiedAt]).toEqual([original.state, 2, at(1), at(2)]);
      const later = { ...stockReceived(4), occurredAt: at(7), version: 3 };
      expect(restored.loadFromHistory([later])._unsafeUnwrap().state.onHand).toBe(9);
    });

    it('is a copy that later changes do not reach', () => {
      const aggregate = loaded(stockReceived(5));
      const snapshot = aggregate.createSnapshot();
      aggregate.execute((state) => decideInventory(receive(2, at(5)), state));
      (snapshot.state as { onHand: number }).onHand = 99;
      expect(aggregate.state.onHand).toBe(7);
    });

    it('refuses a snapshot taken under another state schema', () => {
      const snapshot: AggregateSnapshot<InventoryState> = { ...loaded(stockReceived(5)).createSnapshot(), stateSchemaVersion: Inventory.stateSchemaVersion + 1 };
      const aggregate = new Aggregate(Inventory, SKU);
      expect(aggregate.loadFromSnapshot(snapshot)._unsafeUnwrapErr().code).toBe('AGGREGATE.SNAPSHOT_SCHEMA_CHANGED');
      expect([aggregate.version, aggregate.state]).toEqual([0, Inventory.initialState()]);
    });

    it('refuses a snapshot of another aggregate', () => {
      const snapshot = loaded(stockReceived(5)).createSnapshot();
      expect(new Aggregate(Inventory, 'SKU-2').loadFromSnapshot(snapshot)._unsafeUnwrapErr().code).toBe('AGGREGATE.SNAPSHOT_MISMATCH');
    });
  });
});
