import type { CheckpointStore } from '../ports/checkpoint-store.js';
import type { GlobalEventLog } from '../ports/event-store.js';
import type { Metrics } from '../ports/metrics.js';
import type { UpcasterRegistry } from '../upcasting/upcaster-registry.js';
import type { Projection } from './projection.js';

/**
 * Feeds one projection from the committed log, from its checkpoint, in commit order.
 * The checkpoint is saved after each batch: a crash re-delivers at most one batch.
 */
export class CatchUpSubscriber {
  constructor(
    private readonly log: GlobalEventLog,
    private readonly checkpoints: CheckpointStore,
    private readonly upcasters: UpcasterRegistry,
    private readonly metrics: Metrics,
    private readonly projection: Projection,
    private readonly batchSize = 500,
  ) {}

  /** Processes everything committed so far; returns how many events the projection handled. */
  async catchUp(): Promise<number> {
    let position = Number((await this.checkpoints.load(this.projection.name)) ?? 0);
    let handled = 0;
    for (;;) {
      const batch = await this.log.readAll(position, this.batchSize);
      if (batch.length === 0) return handled;
      for (const stored of batch) {
        if (this.projection.handles.has(stored.type)) {
          const started = performance.now();
          const event = this.upcasters.upcast(stored);
          try {
            await this.projection.apply(event);
          } catch (error) {
            this.metrics.record('EventProcessingResult', 0, 'Count', { EventType: event.type, Result: 'Failure' });
            throw error;
          }
          this.metrics.record('EventProcessingTime', performance.now() - started, 'Milliseconds', { EventType: event.type });
          this.metrics.record('EventProcessingResult', 1, 'Count', { EventType: event.type, Result: 'Success' });
          handled += 1;
        }
        position = stored.globalPosition ?? position;
      }
      await this.checkpoints.save(this.projection.name, String(position));
    }
  }
}
