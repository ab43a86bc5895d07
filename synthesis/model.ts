/** The instruction pair and its enums live in the stage's contract (synthesis/contract.ts); re-exported for the stage's own modules. */
export { Example, ExampleType, Split } from './contract.js';
