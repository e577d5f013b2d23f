/** A setting the service cannot start with; the message names it and what is accepted. */
export class ConfigError extends Error {}
