import type { Metrics } from '../src/application/ports/metrics.js';

/** The repository and the projections record metrics; keeping them would only measure the metrics adapter. */
export const discardMetrics: Metrics = { record: () => undefined };
