import { createHash } from 'node:crypto';

/** sha256 of the parts joined by NUL, hex, first 32 chars: the stable ids graph/ MERGEs on. */
export function stableId(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function entityId(tenant: string, key: string): string {
  return stableId('entity', tenant, key);
}

export function factId(tenant: string, subjectId: string, predicate: string, objectKey: string): string {
  return stableId('fact', tenant, subjectId, predicate, objectKey);
}
