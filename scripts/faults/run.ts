/**
 * The fault suite: `npm run faults` (every scenario) or `npm run faults -- --reduced` (scenarios 1–3, for CI).
 * Runs its own Temporal + Neo4j on other ports under `.kgtune-faults/`, real worker processes, and prints
 * scenario | expected | observed | data lost | time to recover | verdict. Exits 1 when a scenario fails.
 *
 * Options: --reduced, --only 1,3 (scenario numbers), --keep-services (leave the isolated stack running).
 */
import { isolateEnv } from './isolate.js';

// Before anything reads the environment: the isolated home and ports.
isolateEnv();
const { main } = await import('./suite.js');
process.exitCode = await main(process.argv.slice(2));
