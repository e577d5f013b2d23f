const DAY_MS = 86_400_000;

/** Milliseconds between two ISO instants; NaN when either is not a date. */
export const millisBetween = (from: string, to: string): number => Date.parse(to) - Date.parse(from);

export const days = (n: number): number => n * DAY_MS;

/** The ISO instant `ms` milliseconds after `instant`. */
export const millisAfter = (instant: string, ms: number): string => new Date(Date.parse(instant) + ms).toISOString();

export const isInstant = (value: unknown): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value));
