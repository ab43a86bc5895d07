/** `resolveBase`: what the pipeline's `base` input names → a stored, immutable base folder. */
import path from 'node:path';
import { getId, importFiles, type ResolvedBase, SHA_RE, setId, storedBase } from './catalogue.js';
import { BaseError } from './errors.js';
import { PULLABLE } from './pull.js';
import { ensureTinyBase, type TinyBaseOptions } from './tiny.js';
import { validateHfFolder } from './validate.js';

export type ResolveOptions = Omit<TinyBaseOptions, 'home'>;

/**
 * `idOrPath` is a catalogue id (`tiny`, `smollm2-135m-instruct`, `<name>@<sha12>`), a sha256, or an
 * absolute path to an HF folder — validated and imported into the catalogue by content.
 * `tiny` builds the tiny base (for the given seed) the first time.
 */
export async function resolveBase(env: { home: string }, idOrPath: string, opts: ResolveOptions): Promise<ResolvedBase> {
  const home = env.home;
  const ref = idOrPath.trim();
  if (path.isAbsolute(ref)) {
    const files = await validateHfFolder(ref);
    const sha256 = await importFiles(home, ref, files);
    const name = path.basename(ref).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'folder';
    const id = `${name}@${sha256.slice(0, 12)}`;
    await setId(home, id, sha256, `folder:${ref}`);
    return { id, sha256, dir: (await storedBase(home, sha256))! };
  }
  if (ref === 'tiny') {
    const r = await ensureTinyBase({ ...opts, home });
    return { id: r.id, sha256: r.sha256, dir: r.dir };
  }
  if (SHA_RE.test(ref)) {
    const dir = await storedBase(home, ref);
    if (!dir) throw new BaseError('UnknownBase', `no stored base has sha256 ${ref} (see ./kgtune base list)`);
    return { id: ref.slice(0, 12), sha256: ref, dir };
  }
  const entry = await getId(home, ref);
  const dir = entry && (await storedBase(home, entry.sha256));
  if (entry && dir) return { id: ref, sha256: entry.sha256, dir };
  if (PULLABLE[ref]) throw new BaseError('UnknownBase', `base "${ref}" is not pulled yet: run ./kgtune base pull ${ref}`);
  throw new BaseError('UnknownBase', `unknown base "${ref}": use tiny, a pulled id (./kgtune base list), or an absolute path to a Hugging Face folder`);
}
