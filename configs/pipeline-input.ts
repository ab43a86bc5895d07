/**
 * Pipeline inputs, validated with zod. Pure (no I/O): imported at runtime by workflows, so the
 * Temporal Web UI's JSON input is checked inside the workflow and fails at once with field names.
 * Composed from the stages' contracts (<stage>/contract.ts): each block is the stage's own options
 * schema with its one set of defaults, under the same field names down to the stage (no renames).
 */
import { z } from 'zod';
import { PiiOptions } from '../ingest/contract.js';
import { canonicalJson, fnv1a64Hex } from './pure/hash.js';
import { DEFAULT_INDUSTRY, INDUSTRY_PACKS, unknownIndustryMessage } from './industry-names.js';
import { ExtractionOptions } from '../graph/contract.js';
import { issuesLine, PermanentError } from './pure/errors.js';
import { TrainingOptions } from '../training/contract.js';
import { GateOptions } from '../evaluation/contract.js';
import { PipelineSynthesisOptions } from '../synthesis/contract.js';
import { ApprovalTimeout, PromoteTarget } from '../registry/contract.js';

const id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, - and _, 1–63 chars, starting with a letter or digit');

export { TrainingOptions } from '../training/contract.js';
export { GateOptions } from '../evaluation/contract.js';


export const PipelineInput = z.object({
  tenant: id,
  domain: id,
  corpus: id,
  /** Folder of documents, readable by the CPU workers. */
  source: z.string().min(1),
  /**
   * The base model the adapter is trained on: `tiny` (built in), a pulled catalogue id
   * (`./kgtune base pull smollm2-135m-instruct`, `./kgtune base list`), a base sha256, or an absolute
   * path to a Hugging Face folder (imported into the catalogue by content).
   */
  base: z.string().trim().min(1).max(4096).default('tiny'),
  /**
   * The industry pack (configs/industries/<name>.yaml): the entity and relation types extraction
   * looks for and the question templates synthesis phrases with. Checked here, before anything is
   * ingested; the default and why: configs/industry-names.ts.
   */
  industry: z.enum(INDUSTRY_PACKS, { error: (iss) => unknownIndustryMessage(iss.input) }).default(DEFAULT_INDUSTRY),
  seed: z.number().int().default(1),
  /** Which extractor builds the graph: offline (default), llm or both — see graph/contract.ts. */
  extraction: ExtractionOptions.default({ mode: 'offline' }),
  synthesis: PipelineSynthesisOptions.default(PipelineSynthesisOptions.parse({})),
  training: TrainingOptions.default(TrainingOptions.parse({})),
  gates: GateOptions.default(GateOptions.parse({})),
  /** How far to promote once registered: `staging` needs passed gates; `production` also waits for approval. */
  promote: PromoteTarget,
  approvalTimeout: ApprovalTimeout,
  /**
   * The tenant's PII redaction at ingest: `{ kinds, action: mask|hash|drop, allow }` (ingest/contract.ts).
   * Absent: every kind masked with its typed placeholder. Optional without a default, so inputs without
   * it keep their config digest and workflow id.
   */
  pii: PiiOptions.optional(),
});
export type PipelineInput = z.infer<typeof PipelineInput>;
export type PipelineInputRaw = z.input<typeof PipelineInput>;

export class InputError extends PermanentError('ValidationError') {}

/** Parse or fail with one line naming every bad field. */
export function parsePipelineInput(raw: unknown): PipelineInput {
  const r = PipelineInput.safeParse(raw);
  if (!r.success) {
    throw new InputError(`invalid pipeline input — ${issuesLine(r.error.issues)}`);
  }
  return r.data;
}

/** FNV-1a 64-bit over the canonical JSON, hex. Pure, so a workflow can derive child ids from it too. */
export function configDigest(v: unknown): string {
  return fnv1a64Hex(canonicalJson(v));
}

/** Workflow id of a pipeline: same tenant, corpus and config → same id, so a duplicate start is rejected. */
export function pipelineWorkflowId(input: PipelineInput): string {
  return `pipeline-${input.tenant}-${input.corpus}-${configDigest(input).slice(0, 12)}`;
}
