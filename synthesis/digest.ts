import { sha256Hex } from '../configs/hash.js';
import { canonicalJson } from '../configs/pure/hash.js';
import type { Example, Split } from './model.js';

const SPLIT_ORDER: Record<Split, number> = { train: 0, val: 1, test_paraphrase: 2, test_heldout: 3 };

/** The canonical order: split, then type, then id. */
export function canonicalOrder(examples: readonly Example[]): Example[] {
  return [...examples].sort(
    (a, b) => SPLIT_ORDER[a.split] - SPLIT_ORDER[b.split] || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** One example per line, keys sorted at every depth, canonical order, trailing newline. */
export function canonicalJsonl(examples: readonly Example[]): string {
  return canonicalOrder(examples).map((e) => canonicalJson(e)).join('\n') + (examples.length ? '\n' : '');
}

/** SHA-256 (hex) of the canonical JSONL: the dataset's identity. */
export function datasetDigest(examples: readonly Example[]): string {
  return sha256Hex(canonicalJsonl(examples));
}
