import type { StoreAudit } from '../application/audit/store-audit.js';

export interface AnchorSchedule {
  stop(): Promise<void>;
}

/**
 * Anchors the chains' heads every `intervalMs` (0: never, anchors only on demand). A run still walking the store
 * when the next is due makes that one skip; a failed run (the store does not verify, the anchor store is down) is
 * logged and tried again at the next interval, and the service keeps serving.
 */
export const startAnchoring = (audit: Pick<StoreAudit, 'anchor'>, intervalMs: number, log: (line: string) => void): AnchorSchedule => {
  if (intervalMs <= 0) return { stop: async () => {} };
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running !== null) return;
    running = audit
      .anchor()
      .then(
        (written) => log(`anchored ${written.anchor.checkpoint.streams} streams, root ${written.anchor.checkpoint.root}: ${written.location}/${written.name}`),
        (error: unknown) => log(`anchoring failed, tried again in ${intervalMs} ms: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => {
        running = null;
      });
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
};
