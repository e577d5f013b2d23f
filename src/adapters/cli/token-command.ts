import { InvalidArgumentError, type Command } from 'commander';
import { containsCardNumber } from '../../domain/index.js';
import { isRole, ROLES, type Role } from '../auth/principal.js';
import type { CliIo } from './cli-program.js';

/** Signs a development token with the local signing key; null when tokens come from an identity provider instead. */
export type TokenSigner = (request: { subject: string; roles: readonly Role[]; ttlSeconds: number }) => Promise<string>;

export interface TokenSigning {
  /** The signer, or why there is none (AUTH_JWKS_URL is set: the identity provider issues tokens). */
  readonly signer: TokenSigner | { readonly refused: string };
}

const UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };
const MAX_TTL_SECONDS = 30 * 86_400;

const ttl = (value: string): number => {
  const found = /^(\d{1,7})([smhd]?)$/.exec(value);
  const seconds = found ? Number(found[1]) * (UNITS[found[2] || 's'] ?? 1) : Number.NaN;
  if (!(seconds >= 1 && seconds <= MAX_TTL_SECONDS)) throw new InvalidArgumentError('must be a duration such as 900, 15m, 8h or 7d, at most 30d');
  return seconds;
};

const roles = (value: string, previous: Role[] = []): Role[] => {
  const named = value.split(',').map((role) => role.trim());
  const unknown = named.filter((role) => !isRole(role));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown role ${unknown.join(', ')}; roles: ${ROLES.join(', ')}`);
  return [...new Set([...previous, ...(named as Role[])])];
};

const subject = (value: string): string => {
  if (!/^[\x21-\x7e]{1,128}$/.test(value)) throw new InvalidArgumentError('must be 1 to 128 visible ASCII characters (a customer token: the customer id)');
  if (containsCardNumber(value)) throw new InvalidArgumentError('looks like a card number; subjects are stored as the actor of events');
  return value;
};

/** `token --role R --subject S [--ttl D]`: prints a bearer token for development, signed with the service's local key. */
export const tokenCommand = (program: Command, io: CliIo, openSigning: () => Promise<TokenSigning>): void => {
  program
    .command('token')
    .description(`mint a bearer token signed with the local signing key (made under the data folder on first use); roles: ${ROLES.join(', ')}`)
    .requiredOption('--role <role>', 'a role; repeat it or separate with commas for several', roles)
    .requiredOption('--subject <subject>', "who the token speaks for, recorded as the actor of every event it causes (a customer's token: the customer id)", subject)
    .option('--ttl <duration>', 'how long it is valid: seconds, or with s, m, h or d', ttl, 3600)
    .action(async (options: { role: Role[]; subject: string; ttl: number }) => {
      const { signer } = await openSigning();
      // The CliFailure class lives in cli-program.ts, which registers this command: thrown by message instead.
      if ('refused' in signer) throw new Error(signer.refused);
      io.out(await signer({ subject: options.subject, roles: options.role, ttlSeconds: options.ttl }));
    });
};
