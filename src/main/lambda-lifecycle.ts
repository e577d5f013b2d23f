import type { Container } from 'inversify';
import type { MetricsOutputs } from './metrics-output.js';
import { TOKENS } from './tokens.js';

/**
 * A Lambda container's set-up, done once for its invocations; a set-up that failed (a store unreachable at a cold
 * start) is tried afresh by the next invocation.
 */
export const setUpOnce = <T>(setUp: () => Promise<T>) => {
  let warm: Promise<T> | null = null;
  return {
    get: (): Promise<T> =>
      (warm ??= setUp().catch((error: unknown) => {
        warm = null;
        throw error;
      })),
    /** What was set up, if anything: a test closes it. */
    current: (): Promise<T> | null => warm,
  };
};

/**
 * Lambda may freeze the process as soon as the handler returns, so nothing may wait for an interval: the EMF lines and
 * the spans leave now. An unreachable collector costs the spans, never the invocation.
 */
export const flushTelemetry = async (container: Container, metrics: MetricsOutputs | null): Promise<void> => {
  metrics?.flush();
  await container.get(TOKENS.TraceExport).flush().catch(() => undefined);
};
