// Entry of an activity's child process (see cli/activity-process.ts): TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
await import('./activity-child.ts');
