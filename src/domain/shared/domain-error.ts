/** A rule the domain refused. `code` is stable: transports and tests match on it, never on `message`. */
export interface DomainError {
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export const domainError = (code: string, message: string, details?: Record<string, unknown>): DomainError =>
  details === undefined ? { code, message } : { code, message, details };
