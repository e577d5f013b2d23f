import type { TokenSigning } from '../adapters/cli/token-command.js';
import { loadOrCreateSigningKey, mintToken } from '../adapters/auth/local-signing-key.js';
import type { AuthConfig } from './auth-config.js';

/** The CLI's `token` signer: the local signing key the service verifies with, unless an identity provider issues tokens. */
export const tokenSigningFrom = async (config: AuthConfig): Promise<TokenSigning> => {
  if (config.jwksUrl !== null) return { signer: { refused: `tokens come from the identity provider (AUTH_JWKS_URL=${config.jwksUrl.href}); the local signing key is for development only` } };
  const key = await loadOrCreateSigningKey(config.signingKeyFile);
  return { signer: (request) => mintToken(key, { ...request, issuer: config.issuer, audience: config.audience }) };
};
