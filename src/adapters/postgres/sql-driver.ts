/**
 * The query seam between the PostgreSQL adapters and the two drivers (`pg` pool, PGlite):
 * the adapters speak one SQL dialect through it and never see a driver type.
 */

/** A statement the driver may prepare once per connection and reuse. */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

export type Row = object;

export interface SqlSession {
  /** One statement; parameters are sent separately, never spliced into the text. */
  query<R extends Row = Row>(statement: Statement | string, params?: readonly unknown[]): Promise<R[]>;
  /** A script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface SqlDriver extends SqlSession {
  /** Runs `work` on one connection inside one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** SQLSTATE classes and codes the adapters act on. */
export const SQLSTATE = {
  uniqueViolation: '23505',
  notNullViolation: '23502',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  lockNotAvailable: '55P03',
  queryCanceled: '57014',
} as const;

/** Lost a race or ran out of time rather than failed: the same statement may pass when run again. */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([SQLSTATE.serializationFailure, SQLSTATE.deadlockDetected, SQLSTATE.lockNotAvailable, SQLSTATE.queryCanceled]);

/**
 * A driver failure in the adapters' terms: the SQLSTATE (or the network error code) and, for
 * constraint violations, which constraint. Raised by both drivers, so nothing above the seam
 * ever sees a `pg` or PGlite error.
 */
export class SqlError extends Error {
  override readonly name = 'SqlError';

  constructor(
    message: string,
    readonly code: string | null,
    readonly constraint: string | null,
    readonly detail: string | null,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** Bad data rather than a bad database: data exceptions (class 22) and NOT NULL violations. */
  get isInvalidInput(): boolean {
    return this.code !== null && (this.code.startsWith('22') || this.code === SQLSTATE.notNullViolation);
  }

  /** The server is unreachable, shutting down or out of resources: retrying later may work. */
  get isUnavailable(): boolean {
    const code = this.code;
    if (code === null) return true;
    return /^(08|53|57P)/.test(code) || /^E[A-Z]+$/.test(code);
  }

  /** The application's TransientFailure: consumers retry it instead of counting it against an event. */
  get transient(): boolean {
    return this.isUnavailable || (this.code !== null && RETRYABLE_CODES.has(this.code));
  }
}

interface DriverErrorShape {
  readonly message?: unknown;
  readonly code?: unknown;
  readonly constraint?: unknown;
  readonly detail?: unknown;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** Wraps whatever a driver threw; `context` names the operation for the person reading the message. */
export const toSqlError = (error: unknown, context: string): SqlError => {
  if (error instanceof SqlError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as DriverErrorShape;
  const message = text(shape.message) ?? String(error);
  return new SqlError(`${context}: ${message}`, text(shape.code), text(shape.constraint), text(shape.detail), { cause: error });
};
