import type { EventEnvelope } from '../events/envelope.js';
import type { InventoryLevel, InventoryLevelReadModel } from '../ports/read-models.js';
import { aggregateIdOf, foldIntoRows, type ProjectionDefinition } from './projection.js';

type Movement = { quantity: number };
const MOVES: Readonly<Record<string, (level: InventoryLevel, quantity: number) => Partial<InventoryLevel>>> = {
  StockReceived: (l, q) => ({ onHand: l.onHand + q }),
  InventoryReserved: (l, q) => ({ reserved: l.reserved + q }),
  InventoryReleased: (l, q) => ({ reserved: l.reserved - q }),
  InventoryAllocated: (l, q) => ({ reserved: l.reserved - q, allocated: l.allocated + q }),
};

/** The row an event makes of the current one; null when it changes nothing (re-delivered, or not a movement). */
const level = (current: InventoryLevel | null, event: EventEnvelope): InventoryLevel | null => {
  const move = MOVES[event.type];
  if (move === undefined) return null;
  const sku = aggregateIdOf(event.streamId);
  const base = current ?? { sku, onHand: 0, reserved: 0, allocated: 0, available: 0, version: 0, lastUpdated: event.occurredAt };
  if (base.version >= event.version) return null;
  const next = { ...base, ...move(base, (event.data as Movement).quantity) };
  return { ...next, available: next.onHand - next.reserved - next.allocated, version: event.version, lastUpdated: event.occurredAt };
};

/** Stock per SKU: on hand, reserved, allocated and available. */
export const inventoryLevelsProjection: ProjectionDefinition<InventoryLevelReadModel> = {
  name: 'inventory-levels',
  version: 1,
  readModelKind: 'inventory',
  streams: new Set(['Inventory']),
  handles: new Set(Object.keys(MOVES)),
  readModel: (catalog, generation) => catalog.inventory(generation),
  async apply(readModel, event) {
    const next = level(await readModel.get(aggregateIdOf(event.streamId)), event);
    if (next !== null) await readModel.upsert(next);
  },
  applyBatch: (readModel, events) => foldIntoRows(readModel, events, level),
};
