import { InMemoryEventStore } from '../../src/adapters/memory/in-memory-event-store.js';
import { SystemClock } from '../../src/adapters/runtime/system-runtime.js';
import { eventStoreContract } from './event-store.contract.js';

eventStoreContract('memory', () => {
  const store = new InMemoryEventStore(new SystemClock());
  return { store, log: store };
});
