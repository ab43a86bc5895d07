import { sha256Hex } from '../../configs/hash.js';

export { sha256Hex };

/** sha256 of the parts joined by NUL, hex, first 32 chars: the stable ids graph/ MERGEs on. */
export function stableId(...parts: string[]): string {
  return sha256Hex(parts.join('\u0000')).slice(0, 32);
}

export function entityId(tenant: string, key: string): string {
  return stableId('entity', tenant, key);
}

export function factId(tenant: string, subjectId: string, predicate: string, objectKey: string): string {
  return stableId('fact', tenant, subjectId, predicate, objectKey);
}
