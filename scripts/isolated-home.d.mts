export type StackVars = { KGTUNE_HOME: string; TEMPORAL_PORT: string; TEMPORAL_UI_PORT: string; NEO4J_BOLT_PORT: string };
export function testStackEnv(source?: NodeJS.ProcessEnv): StackVars;
export function applyIsolatedEnv(vars: Readonly<Record<string, string>>, target?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
export function seedHome(root: string, home: string): string[];
