import { defineConfig } from 'vitest/config';
import { testStackEnv } from './scripts/isolated-home.mjs';

// Integration and e2e tests run on their own stack (own home and ports), never on the user's: the workers get these
// variables, and the global setup sets them for itself before it reads the environment.
const isolated = { ...testStackEnv(), KGTUNE_ARTIFACTS: '' };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          env: isolated,
          testTimeout: 300_000,
          hookTimeout: 300_000,
          // The real servers are shared: run integration files one after another.
          fileParallelism: false,
        },
      },
      {
        test: {
          // transformers + PEFT references in a Python venv made on first use; no services needed
          name: 'interop',
          include: ['test/interop/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 1_800_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          env: isolated,
          testTimeout: 1_200_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
