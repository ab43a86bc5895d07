#!/usr/bin/env node
// kgtune CLI entry: loads the TypeScript sources through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
const { cli } = await import('./main.ts');
await cli(process.argv.slice(2));
