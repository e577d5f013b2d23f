import { maskCardNumbers } from '../../domain/index.js';

/** An error as logged: its message and stack with any card number masked (a driver may quote a value it refused). */
export const loggableError = (error: Error): { [key: string]: unknown; type: string; message: string; stack: string } => {
  const { code } = error as { code?: unknown };
  // A refusal logged as an unexpected error is a plain object: its code and details stay.
  const fields = error instanceof Error ? {} : { ...(error as object) };
  return { ...fields, type: error.constructor.name, message: maskCardNumbers(String(error.message)), stack: maskCardNumbers(error.stack ?? ''), ...(code === undefined ? {} : { code }) };
};
