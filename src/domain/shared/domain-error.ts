/**
 * A rule the domain refused. `code` is stable: transports and tests match on it, never on `message`.
 * Each aggregate declares its codes as constants (`ORDER_ERRORS` and the like), so `C` is narrowed to them.
 */
export interface DomainError<C extends string = string> {
  readonly code: C;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export const domainError = <C extends string>(code: C, message: string, details?: Record<string, unknown>): DomainError<C> =>
  details === undefined ? { code, message } : { code, message, details };

/** The values of an error-code table such as `ORDER_ERRORS`: the codes it may refuse with. */
export type CodeOf<T extends Readonly<Record<string, string>>> = T[keyof T];
