/** The base catalogue: content-addressed, immutable base models the user chooses (the "1" of 1+N). */
export { BaseError, type BaseErrorType } from './errors.js';
export { basesRoot, baseDir, listBases, verifyBase, setId, getId, storedBase, manifestOf, manifestSha, MANIFEST_FILE, type ResolvedBase, type ListedBase, type IdEntry } from './catalogue.js';
export { resolveBase, type ResolveOptions } from './resolve.js';
export { ensureTinyBase, tinyBuild, TINY_DEFAULTS, type TinyBaseOptions } from './tiny.js';
export { pullBase, PULLABLE, fetchGguf, pullCacheDir, type PullableBase } from './pull.js';
export { convertGgufToHf, hfFilesFromGguf, hfName, unpermuteRows, type Progress } from './gguf-to-hf.js';
export { readGgufHeader, readGgufTensors, dequantize, GGML } from './gguf.js';
export { validateHfFolder } from './validate.js';
