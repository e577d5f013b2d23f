import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import { maskCardNumbers } from '../../domain/index.js';
import type { LogFields, Logger, LogLevel } from '../../application/ports/logger.js';
import { sharedLogOptions } from './log-options.js';

/** What a line's fields may quote from an error or a store: masked like the message itself. */
const FREE_TEXT_FIELDS = ['error'] as const;

const masked = (fields: LogFields): LogFields => {
  let copy: Record<string, unknown> | null = null;
  for (const key of FREE_TEXT_FIELDS) {
    const value = fields[key];
    if (typeof value === 'string') (copy ??= { ...fields })[key] = maskCardNumbers(value);
  }
  return (copy as LogFields | null) ?? fields;
};

/** JSON lines through pino: redacted, card numbers masked, each carrying the trace it was written in. */
export class PinoLogger implements Logger {
  private constructor(private readonly pino: Pino) {}

  /**
   * Lines at `level` and above to `destination`; by default standard output, written synchronously: a Lambda's
   * process may be frozen as soon as its handler returns, with an asynchronous write still pending.
   */
  static create(level: LogLevel | 'silent', destination: DestinationStream = pino.destination({ dest: 1, sync: true })): PinoLogger {
    return new PinoLogger(pino({ ...sharedLogOptions(), level }, destination));
  }

  error(message: string, fields: LogFields = {}): void {
    this.#write('error', message, fields);
  }

  warn(message: string, fields: LogFields = {}): void {
    this.#write('warn', message, fields);
  }

  info(message: string, fields: LogFields = {}): void {
    this.#write('info', message, fields);
  }

  debug(message: string, fields: LogFields = {}): void {
    this.#write('debug', message, fields);
  }

  isEnabled(level: LogLevel): boolean {
    return this.pino.isLevelEnabled(level);
  }

  child(fields: LogFields): Logger {
    return new PinoLogger(this.pino.child(fields));
  }

  #write(level: LogLevel, message: string, fields: LogFields): void {
    if (!this.pino.isLevelEnabled(level)) return;
    this.pino[level](masked(fields), maskCardNumbers(message));
  }
}
