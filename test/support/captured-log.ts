import { PinoLogger } from '../../src/adapters/logs/pino-logger.js';
import type { Logger } from '../../src/application/ports/logger.js';
import type { LogThreshold } from '../../src/main/log-output.js';

/** One JSON line as pino wrote it. */
export type LogLine = Record<string, unknown> & { readonly level: number; readonly msg: string };

export interface CapturedLog {
  /** The service's own logger (pino, redaction, trace mixin), writing to memory. */
  readonly logger: Logger;
  /** The lines written so far, parsed. */
  lines(): LogLine[];
  /** The lines as written: what a redaction test searches. */
  text(): string;
}

/** pino's numbers for the port's levels. */
export const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;

export const capturedLog = (level: LogThreshold = 'debug'): CapturedLog => {
  const written: string[] = [];
  const logger = PinoLogger.create(level, { write: (line: string) => void written.push(line) });
  return {
    logger,
    lines: () => written.map((line) => JSON.parse(line) as LogLine),
    text: () => written.join(''),
  };
};
