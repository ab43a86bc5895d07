import path from 'node:path';
import type { KgtuneEnv } from '../../configs/env.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { BASE_PRETRAIN_CHARS, tinyBasePaths } from '../../training/index.js';
import { batched, GENERAL_QA_MAX_NEW_TOKENS, generalQuestionPaths } from '../../evaluation/index.js';
import { generalQaRecordFile, loadGeneralQuestions, recordGeneralQa } from '../../evaluation/index.js';
import { chatPrompt, loadForGeneration } from '../../training/index.js';
import { ensureTinyBase, listBases, PULLABLE, pullBase, resolveBase } from '../../training/bases/index.js';
import { UsageError } from '../errors.js';
import { parse } from '../main.js';
import { table } from '../progress.js';

const USAGE = 'usage: kgtune base [--steps N] [--seed S] | base pull <id> [--force] | base list | base import <dir> | base general-qa <id>';

const positiveInt = (v: unknown, flag: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got "${String(v)}"`);
  return n;
};

/**
 * `kgtune base …`: the base catalogue (KGTUNE_HOME/models/bases, content-addressed and immutable).
 * Without a subcommand: build the tiny base for these settings (other settings make a new base).
 */
export async function baseCommand(args: string[], env: KgtuneEnv): Promise<number> {
  const [sub, ...rest] = args[0] && !args[0].startsWith('-') ? args : ['tiny', ...args];
  const t0 = Date.now();
  const secs = (): string => `${((Date.now() - t0) / 1000).toFixed(0)}s`;
  switch (sub) {
    case 'tiny': {
      const { values } = parse(rest, { steps: { type: 'string' }, seed: { type: 'string' } }, false);
      const steps = positiveInt(values.steps, '--steps');
      const seed = values.seed === undefined ? undefined : Number(values.seed);
      if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got "${String(values.seed)}"`);
      const r = await ensureTinyBase({
        home: env.home, cacheDir: tinyBasePaths(env).cacheDir, backend: env.KGTUNE_TRAIN_BACKEND, maxChars: BASE_PRETRAIN_CHARS,
        ...(steps ? { steps } : {}), ...(seed !== undefined ? { seed } : {}),
        onStep: (s) => { if (s.step % 10 === 0 || s.step === s.totalSteps) console.log(`pretrain step ${s.step}/${s.totalSteps} loss ${s.loss.toFixed(3)} (${Math.round(s.tokensPerSec)} tokens/s)`); },
      });
      console.log(`${r.reused ? 'reused' : 'built'} base ${r.id} (sha256 ${r.sha256}) in ${path.relative(process.cwd(), r.dir)} (${secs()})`);
      return 0;
    }
    case 'pull': {
      const { values, positionals } = parse(rest, { force: { type: 'boolean' } });
      const id = positionals[0];
      if (!id) throw new UsageError(`usage: kgtune base pull <id>   (pullable: ${Object.keys(PULLABLE).join(', ')})`);
      const r = await pullBase(env.home, id, { force: values.force === true, progress: (l) => console.log(`  ${l}`) });
      console.log(`${r.reused ? 'already pulled' : 'pulled'} ${r.id} (sha256 ${r.sha256}) → ${path.relative(process.cwd(), r.dir)} (${secs()})`);
      return 0;
    }
    case 'import': {
      const { positionals } = parse(rest, {});
      if (!positionals[0]) throw new UsageError('usage: kgtune base import <Hugging Face folder>');
      const r = await resolveBase(env, path.resolve(positionals[0]), { cacheDir: tinyBasePaths(env).cacheDir });
      console.log(`imported ${r.id} (sha256 ${r.sha256}) → ${path.relative(process.cwd(), r.dir)} (${secs()})`);
      return 0;
    }
    case 'general-qa': {
      const { positionals } = parse(rest, {});
      if (!positionals[0]) throw new UsageError('usage: kgtune base general-qa <id>   (asks the base the general questions and records the ones it answers right)');
      const r = await resolveBase(env, positionals[0], { cacheDir: tinyBasePaths(env).cacheDir, backend: env.KGTUNE_TRAIN_BACKEND, maxChars: BASE_PRETRAIN_CHARS });
      const { file, recordsDir } = generalQuestionPaths(env);
      const set = await loadGeneralQuestions(file);
      const gm = await loadForGeneration({ baseDir: r.dir, backend: env.KGTUNE_TRAIN_BACKEND });
      let answers: string[];
      try {
        answers = batched(gm, set.questions.map((q) => chatPrompt(gm.tokenizer, { instruction: q.question })), { maxNewTokens: GENERAL_QA_MAX_NEW_TOKENS, greedy: true });
      } finally {
        gm.dispose();
      }
      const record = recordGeneralQa({ id: r.id, sha256: r.sha256 }, set.sha256, set.questions, answers, GENERAL_QA_MAX_NEW_TOKENS);
      await mkdir(recordsDir, { recursive: true });
      const out = generalQaRecordFile(recordsDir, r.id);
      await writeFile(out, `${JSON.stringify(record, null, 1)}\n`);
      for (const lang of ['en', 'zh'] as const) {
        const n = set.questions.filter((q) => q.lang === lang).length;
        console.log(`${lang}: ${record.kept.filter((q) => q.lang === lang).length} of ${n} answered right`);
      }
      console.log(`recorded ${record.kept.length} kept and ${record.dropped.length} dropped questions for ${r.id} → ${path.relative(process.cwd(), out)} (${secs()})`);
      return 0;
    }
    case 'list': {
      parse(rest, {}, false);
      const bases = await listBases(env.home);
      const pulled = new Set(bases.map((b) => b.id));
      const rows = bases.map((b) => [b.id, b.sha256.slice(0, 16), `${(b.bytes / 1e6).toFixed(1)} MB`, b.createdAt.slice(0, 19), b.source.length > 60 ? `${b.source.slice(0, 57)}...` : b.source]);
      for (const id of Object.keys(PULLABLE)) if (!pulled.has(id)) rows.push([id, '-', '-', 'not pulled', `./kgtune base pull ${id}`]);
      if (!pulled.has('tiny')) rows.push(['tiny', '-', '-', 'not built', './kgtune base (or the first pipeline run)']);
      console.log(table(['id', 'sha256', 'size', 'created', 'source'], rows));
      return 0;
    }
    default:
      throw new UsageError(USAGE);
  }
}
