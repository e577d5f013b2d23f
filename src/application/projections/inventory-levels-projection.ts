import type { InventoryLevel, InventoryLevelReadModel } from '../ports/read-models.js';
import { aggregateIdOf, type ProjectionDefinition } from './projection.js';

type Movement = { quantity: number };
const MOVES: Readonly<Record<string, (level: InventoryLevel, quantity: number) => Partial<InventoryLevel>>> = {
  StockReceived: (l, q) => ({ onHand: l.onHand + q }),
  InventoryReserved: (l, q) => ({ reserved: l.reserved + q }),
  InventoryReleased: (l, q) => ({ reserved: l.reserved - q }),
  InventoryAllocated: (l, q) => ({ reserved: l.reserved - q, allocated: l.allocated + q }),
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
    const move = MOVES[event.type];
    if (move === undefined) return;
    const sku = aggregateIdOf(event.streamId);
    const current = (await readModel.get(sku)) ?? { sku, onHand: 0, reserved: 0, allocated: 0, available: 0, version: 0, lastUpdated: event.occurredAt };
    if (current.version >= event.version) return;
    const next = { ...current, ...move(current, (event.data as Movement).quantity) };
    await readModel.upsert({ ...next, available: next.onHand - next.reserved - next.allocated, version: event.version, lastUpdated: event.occurredAt });
  },
};
