import { randomBytes } from 'node:crypto';
import neo4j from 'neo4j-driver';
import type { Driver } from 'neo4j-driver';
import { loadEnv } from '../../configs/env.js';
import type { ChunkRecord, DocumentRecord } from '../../ingest/model.js';
import { stableId, sha256Hex } from '../../graph/internal/ids.js';

export function connect(): Driver {
  const env = loadEnv();
  return neo4j.driver(env.neo4jUri, neo4j.auth.basic(env.NEO4J_USER, env.NEO4J_PASSWORD));
}

export const uniqueTenant = (what: string): string => `t-${what}-${randomBytes(4).toString('hex')}`;

export function doc(text: string, name = 'doc.txt'): { doc: DocumentRecord; chunks: ChunkRecord[] } {
  const sha256 = sha256Hex(text);
  const parts = text.split('\n\n');
  let at = 0;
  const chunks = parts.map((p) => {
    const start = text.indexOf(p, at);
    at = start + p.length;
    const sentences: Array<[number, number]> = [...p.matchAll(/[^。!?！？]+?(?:[。!?！？]|(?<!\b(?:Inc|Ltd|Co|Corp))\.(?=\s|$)|$)/gu)].map((m) => [m.index, m.index + m[0].length]);
    return { id: stableId(sha256, '1', String(start), String(at)), docSha256: sha256, page: 1, start, end: at, text: p, lang: /\p{Script=Han}/u.test(p) ? 'zh' : 'en', sentences } as ChunkRecord;
  });
  return { doc: { sha256, name, mime: 'text/plain', pages: 1, status: 'ingested', piiCounts: {}, chars: text.length }, chunks };
}
