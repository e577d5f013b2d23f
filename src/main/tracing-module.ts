import { ContainerModule } from 'inversify';
import { NO_TRACING } from '../application/ports/tracing.js';
import type { AppConfig } from './config.js';
import type { TraceExport } from './trace-export.js';
import { TOKENS } from './tokens.js';

/** Tracing off: the no-op port, nothing loaded into the API's globals, nothing to flush. */
export const TRACING_OFF: TraceExport = { tracing: NO_TRACING, flush: async () => undefined, shutdown: async () => undefined };

/** The SDK's wiring, loaded only once tracing is on: it takes about a second to load, which a process tracing nothing never pays. */
let sdk: typeof import('./trace-export.js') | null = null;

/** Loads the SDK when the configuration turns tracing on (createContainer does, before binding). */
export const loadTracingSdk = async (config: AppConfig): Promise<void> => {
  if (config.tracing !== null) sdk ??= await import('./trace-export.js');
};

/**
 * Tracing as the configuration asks: the SDK starts when first resolved, and only with an OTLP endpoint set. A
 * test rebinds TraceExport (spans in memory) before anything is resolved, as it does Metrics.
 */
export const tracingModule = (config: AppConfig): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(TOKENS.TraceExport)
      .toDynamicValue(() => {
        if (config.tracing === null) return TRACING_OFF;
        if (sdk === null) throw new Error('tracing is configured but its SDK was not loaded: open the container with createContainer, or await loadTracingSdk first');
        return sdk.traceExportFor(config.tracing, config.store);
      })
      .inSingletonScope();
    bind(TOKENS.Tracing)
      .toDynamicValue(({ get }) => get(TOKENS.TraceExport).tracing)
      .inSingletonScope();
  });
