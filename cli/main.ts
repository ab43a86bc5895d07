import { parseArgs } from 'node:util';
import { loadEnv, type KgtuneEnv } from '../configs/env.js';
import { oneLine, UsageError } from './errors.js';
import { DEFAULT_INDUSTRY, INDUSTRY_PACKS } from '../configs/industry-names.js';

interface Command { usage: string; summary: string; run: (args: string[], env: KgtuneEnv) => Promise<number | void> }

const COMMANDS: Record<string, Command> = {
  'services': { usage: 'services up|down|status|migrate', summary: 'provision (first time) and start/stop/show the local Temporal dev server and Neo4j; migrate creates the graph schema (repairing duplicates left by older versions)', run: async (a, env) => (await import('./commands/services.js')).servicesCommand(a, env) },
  'worker': { usage: 'worker [--queue cpu|gpu|all] [--allow-cpu]', summary: 'run a Temporal worker (cpu: workflows + ingest/graph/synthesis/registry; gpu: training + evaluation)', run: async (a, env) => (await import('./commands/worker.js')).workerCommand(a, env) },
  'healthcheck': { usage: 'healthcheck', summary: 'run the healthcheck workflow (writes and reads a Neo4j node; prints server versions and the training device of the kgtune-gpu worker)', run: async (a, env) => (await import('./commands/healthcheck.js')).healthcheckCommand(a, env) },
  'run': { usage: `run <folder> --tenant T --domain D [--industry ${INDUSTRY_PACKS.join('|')}] [--corpus C] [--promote none|staging|production] [--base ID|DIR] [--steps N] [--target-size N] [--pii-kinds email,mobile,…] [--pii-action mask|hash|drop] [--pii-allow V,…] [--extraction offline|llm|both --llm-url U --llm-model M | --llm-model-path F.gguf] [--detach]`, summary: `start the whole pipeline on a folder of documents and follow its progress; --industry picks the industry pack (configs/industries/*.yaml: the entity/relation types extracted and the question templates; default ${DEFAULT_INDUSTRY})`, run: async (a, env) => (await import('./commands/run.js')).runCommand(a, env) },
  'status': { usage: 'status <workflow-id>', summary: 'show a pipeline\'s stages and progress', run: async (a, env) => (await import('./commands/run.js')).statusCommand(a, env) },
  'cancel': { usage: 'cancel <workflow-id>', summary: 'cancel a pipeline (training saves a checkpoint first)', run: async (a, env) => (await import('./commands/run.js')).cancelCommand(a, env) },
  'demo': { usage: 'demo [--corpus-dir DIR] [--base ID|DIR] [--steps N]', summary: 'the main job: services up, a worker, the whole pipeline on examples/sample-corpus, ending with the evaluation table and the registered adapter', run: async (a, env) => (await import('./commands/demo.js')).demoCommand(a, env) },
  'adapters': { usage: 'adapters list|show|promote|approve|reject|rollback|lineage|export|chat …', summary: 'registered adapter versions, aliases, promotion and lineage; export a version (peft, merged-hf, gguf) or chat with it', run: async (a, env) => (await import('./commands/adapters.js')).adaptersCommand(a, env) },
  'tenants': { usage: 'tenants create <name> [--quota-bytes N] | add-key <name> | list | revoke-key <keyId>', summary: 'customer tenants and their API keys (a key is shown once, stored hashed)', run: async (a, env) => (await import('./commands/tenants.js')).tenantsCommand(a, env) },
  'operators': { usage: 'operators create <name> | list | revoke <keyId>', summary: 'operator keys of the registry view for MLOps (shown once, stored hashed; the name is recorded as reviewer)', run: async (a, env) => (await import('./commands/operators.js')).operatorsCommand(a, env) },
  'api': { usage: 'api [--port 8080] [--host 127.0.0.1]', summary: 'serve the customer upload API and web page', run: async (a, env) => (await import('./commands/api.js')).apiCommand(a, env) },
  'base': { usage: 'base [--steps N] [--seed S] | base pull <id> | base list | base import <dir>', summary: 'base models: build the tiny one, pull smollm2-135m-instruct, list the catalogue, import an HF folder', run: async (a, env) => (await import('./commands/base.js')).baseCommand(a, env) },
  'setup': { usage: 'setup native|gpu [--force]', summary: 'opt-in: build the native TensorFlow backend (native: tfjs-node against the PyPI tensorflow-cpu C library, ~650 MB; gpu: tfjs-node-gpu against the CUDA tensorflow wheel + nvidia-*-cu12 wheels, ~6 GB, see README) into KGTUNE_HOME/cache; native becomes the default backend, gpu is used with KGTUNE_TRAIN_BACKEND=tensorflow-gpu', run: async (a, env) => (await import('./commands/setup.js')).setupCommand(a, env) },
};

function help(): string {
  const width = Math.max(...Object.values(COMMANDS).map((c) => c.usage.length));
  return [
    'kgtune — company documents → knowledge graph → instruction pairs → evaluated, registered LoRA adapter',
    '',
    'usage: kgtune <command> [options]',
    '',
    ...Object.values(COMMANDS).map((c) => `  ${c.usage.padEnd(Math.min(width, 48))}  ${c.summary}`),
    '',
    'Environment (all optional): KGTUNE_HOME, TEMPORAL_HOST/PORT/UI_PORT/NAMESPACE, NEO4J_HOST/BOLT_PORT/USER/PASSWORD/HEAP, KGTUNE_TRAIN_BACKEND.',
    'Set KGTUNE_DEBUG=1 for stack traces.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) throw new UsageError(`unknown command '${name}' (see kgtune --help)`);
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`usage: kgtune ${cmd.usage}\n  ${cmd.summary}`);
    return 0;
  }
  const env = loadEnv();
  const code = await cmd.run(rest, env);
  return typeof code === 'number' ? code : 0;
}

/** Shared option parsing that turns parseArgs' errors into usage errors. */
export function parse<T extends NonNullable<Parameters<typeof parseArgs>[0]>['options']>(args: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The process entry (cli/bin.mjs): one line on stderr and exit code 1 for any error, stack only with KGTUNE_DEBUG. */
export async function cli(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (err) {
    console.error(`kgtune: ${oneLine(err)}`);
    if (process.env.KGTUNE_DEBUG) console.error(err);
    process.exitCode = 1;
  }
}
