/**
 * Authentication of operator keys (`kgo_…`), the same way as tenant keys (api/auth.ts): the id finds
 * the stored scrypt hash, a verified key is remembered by its SHA-256 for `cacheMs`, revocation is
 * read on every request. A tenant key on an operator route is refused with 403, not 401: it is a
 * valid key of the wrong kind.
 */
import type { FastifyRequest } from 'fastify';
import { findOperatorKey, parseKey, parseOperatorKey } from '../client/index.js';
import { KeyAuthenticator } from './auth.js';
import { ApiError } from './errors.js';

export interface Operator { name: string; keyId: string }

declare module 'fastify' {
  interface FastifyRequest { operator?: Operator }
}

export class OperatorAuthenticator extends KeyAuthenticator {
  protected readonly parse = (key: string): { keyId: string } | undefined => parseOperatorKey(key) ?? undefined;
  async authenticate(key: string | undefined): Promise<Operator> {
    if (!key) throw new ApiError('missing_key', 'send your operator key as `Authorization: Bearer <key>`');
    const parsed = parseOperatorKey(key);
    if (!parsed) {
      if (parseKey(key)) throw new ApiError('operator_only', 'this is a tenant key; the registry view needs an operator key (`kgtune operators create <name>`)');
      throw new ApiError('invalid_key', 'the operator key is not valid');
    }
    const stored = await this.verified(key, parsed.keyId, findOperatorKey, { invalid: 'the operator key is not valid', revoked: 'this operator key has been revoked; ask for a new one' });
    return { name: stored.name, keyId: parsed.keyId };
  }
}

/** The signed-in operator (set by the operator routes' preHandler). */
export function operatorOf(req: FastifyRequest): Operator {
  if (!req.operator) throw new ApiError('missing_key', 'send your operator key as `Authorization: Bearer <key>`');
  return req.operator;
}
