// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

/** Modules a workflow file may import at runtime (everything else only with `import type`). */
const WORKFLOW_RUNTIME_ALLOWED = ['@temporalio/workflow', '@temporalio/common'];

/** Stage folders: workflows may import their pure contract.ts at runtime. */
const STAGE_FOLDERS = ['ingest', 'graph', 'synthesis', 'training', 'evaluation', 'registry'];

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/**', '.kgtune/**', '.kgtune-*/**', 'bench/out/**', 'test/fixtures/**', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js', 'workflows/__lint-probe__.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'separate-type-imports' }],
    },
  },
  {
    // Temporal determinism: workflow code runs in a sandbox and is replayed; it must not do I/O.
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: nodeBuiltins.map((name) => ({ name, message: 'Workflows are replayed deterministically: no Node built-ins in workflows/ (do I/O in an activity).' })),
        patterns: [
          { group: ['neo4j-driver', 'neo4j-driver/*'], message: 'No database drivers in workflows/: call a graph activity.' },
          { group: ['@tensorflow/*'], message: 'No tfjs in workflows/: call a training activity.' },
          { group: ['@temporalio/*', ...WORKFLOW_RUNTIME_ALLOWED.map((m) => `!${m}`)], message: 'Only @temporalio/workflow and @temporalio/common may be imported by workflows.' },
          // Relative imports leaving workflows/: types only, except pure modules explicitly allowed.
          { group: ['../*', '!../configs', '!../configs/pipeline-input.js', '!../configs/pure/*', ...STAGE_FOLDERS.flatMap((f) => [`!../${f}`, `../${f}/*`, `!../${f}/contract.js`])], allowTypeImports: true, message: 'Workflows may import other modules only with `import type` (pure modules: configs/pipeline-input.ts, configs/pure/*, <stage>/contract.ts).' },
          // Bare package imports other than the allowed ones.
          { regex: '^(?!\\.|@temporalio/(workflow|common)$|zod$|zod/)', allowTypeImports: true, message: 'Workflows may import packages only with `import type` (allowed at runtime: @temporalio/workflow, @temporalio/common, zod).' },
        ],
      }],
    },
  },
  {
    // A stage's contract.ts is what workflows may import from it: zod and other pure modules only.
    files: ['*/contract.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { regex: '^(?!\\.|zod$|zod/)', allowTypeImports: true, message: 'A contract.ts is pure: zod only (workflows import it).' },
          { group: ['../*', '!../configs', '../configs/*', '!../configs/pure', ...STAGE_FOLDERS.flatMap((f) => [`!../${f}`, `../${f}/*`, `!../${f}/contract.js`]), './*', '!./contract.js'], allowTypeImports: true, message: 'A contract.ts imports only other contracts and configs/pure/* (workflows import it).' },
        ],
      }],
    },
  },
);
