// Entry of the API server's own process (`kgtune api` spawns it: see api/serve.ts): TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
const { serve } = await import('./serve.ts');
process.exitCode = await serve(process.argv.slice(2));
