import path from 'node:path';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { KgtuneEnv } from '../../configs/env.js';
import { buildTinyBase } from '../../training/index.js';
import { tinyBasePaths } from '../../activities/training.js';
import { parse } from '../main.js';

/** `kgtune base [--force]`: pretrain the tiny base "1" on general text (cached; see training/BASE-TEXT.md). */
export async function baseCommand(args: string[], env: KgtuneEnv): Promise<number> {
  const { values } = parse(args, { force: { type: 'boolean' }, steps: { type: 'string' } }, false);
  const { outDir, cacheDir } = tinyBasePaths(env);
  if (values.force && existsSync(outDir)) await rm(outDir, { recursive: true, force: true });
  const t0 = Date.now();
  const r = await buildTinyBase({
    outDir, cacheDir, backend: env.KGTUNE_TRAIN_BACKEND, ...(values.steps ? { steps: Number(values.steps) } : {}),
    onStep: (s) => { if (s.step % 10 === 0 || s.step === s.totalSteps) console.log(`pretrain step ${s.step}/${s.totalSteps} loss ${s.loss.toFixed(3)} (${Math.round(s.tokensPerSec)} tokens/s)`); },
  });
  console.log(`${r.reused ? 'reused cached' : 'pretrained'} tiny base in ${path.relative(process.cwd(), r.modelDir)} on ${r.backend.name} (${((Date.now() - t0) / 1000).toFixed(0)}s)`);
  return 0;
}
