/** Writes test/fixtures/tokenizer/builtin/: a built-in kgtune tokenizer trained on the fixture corpus (see make.sh). */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { trainTokenizer } from '../../training/index.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: make-builtin.ts <fixtures/tokenizer dir>');
const corpus = JSON.parse(await readFile(path.join(dir, 'corpus.json'), 'utf8')) as string[];
const tok = trainTokenizer(corpus, { merges: 150, minFrequency: 2, maxChars: 300 });
await mkdir(path.join(dir, 'builtin'), { recursive: true });
await tok.save(path.join(dir, 'builtin', 'tokenizer.json'));
console.log(`builtin tokenizer: ${tok.size} tokens`);
