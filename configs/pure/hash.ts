/**
 * The one canonical JSON and the one FNV-1a: pure (no Node), so workflows may use them too (config digests,
 * child ids). SHA-256 needs node:crypto and lives in configs/hash.ts.
 */

/**
 * JSON with object keys sorted at every depth; arrays keep their order; undefined fields are dropped (as
 * JSON.stringify does). The identity of configs, datasets and bases: changing it changes ids and digests.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** 32-bit FNV-1a over the UTF-16 code units of s[start, end). */
export function fnv1a32(s: string, start = 0, end = s.length): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** 64-bit FNV-1a over the UTF-16 code units of s, 16 hex digits. */
export function fnv1a64Hex(s: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < s.length; i++) {
    h ^= BigInt(s.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}
