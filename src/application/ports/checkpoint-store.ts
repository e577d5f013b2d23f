/** Where a subscriber (projection, relay) has got to in the global log. */
export interface CheckpointStore {
  load(subscriber: string): Promise<number>;
  save(subscriber: string, position: number): Promise<void>;
}
