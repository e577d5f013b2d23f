import type { Logger } from '../../application/ports/logger.js';

/** Writes nothing: the container's logger until an entry point binds a real one, and tests'. */
export class SilentLogger implements Logger {
  error(): void {}
  warn(): void {}
  info(): void {}
  debug(): void {}
  isEnabled(): boolean {
    return false;
  }
  child(): Logger {
    return this;
  }
}

export const SILENT_LOGGER: Logger = new SilentLogger();
