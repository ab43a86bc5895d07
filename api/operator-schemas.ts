/**
 * Request and response shapes of the registry view's operator routes (`/v1/ops/…`), as zod schemas:
 * the handlers parse with them, their return types are inferred from them, and the OpenAPI document
 * is generated from them (openapi.ts).
 */
import { z } from 'zod';
import { ALIASES } from '../registry/index.js';
import { Adapter } from './schemas.js';

const Name = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, - and _');
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const DomainParams = z.object({ tenant: Name, domain: z.string().min(1).max(200) });
export const VersionParams = DomainParams.extend({ version: z.coerce.number().int().positive() });
export const ArtifactParams = VersionParams.extend({ name: z.string().min(1).max(300).meta({ description: 'An artifact name as listed by the version (never a path into the store).' }) });
export const ApprovalParams = z.object({ workflowId: z.string().min(1).max(300), decision: z.enum(['approve', 'reject']) });
/** The reviewer is the signed-in operator: a body naming someone else is refused, not ignored. */
export const ReviewBody = z.strictObject({ comment: z.string().max(2000).optional() });
export const RollbackBody = z.strictObject({ alias: z.enum(ALIASES).default('production'), reason: z.string().max(2000).optional() });

export const OperatorMe = z.object({ name: z.string(), keyId: z.string() });

export const AliasEventOut = z.object({
  alias: z.enum(ALIASES), seq: z.number().int(), kind: z.enum(['set', 'rollback']), fromVersion: z.number().int().nullable(),
  toVersion: z.number().int(), actor: z.string(), reason: z.string(), at: z.string(),
});
export const RegistryDomain = z.object({ tenant: z.string(), domain: z.string(), versions: z.array(Adapter), aliasHistory: z.array(AliasEventOut) });
export const RegistryOverview = z.object({ domains: z.array(RegistryDomain) });

export const ArtifactRef = z.object({
  name: z.string(), kind: z.enum(['adapter', 'manifest', 'model-card', 'report']), sha256: Sha256, size: z.number().int().nullable(),
  href: z.string().meta({ description: 'The download route of this artifact (needs the operator key).' }),
});
export const VersionLineage = z.object({
  documents: z.array(z.object({ sha256: z.string(), name: z.string(), facts: z.number().int() })),
  snapshot: z.object({ id: z.string(), corpus: z.string().nullable(), createdAt: z.string().nullable() }),
  dataset: z.object({ id: z.string(), digest: z.string().nullable() }),
  run: z.object({ id: z.string().nullable(), backend: z.string().nullable(), steps: z.number().int().nullable(), createdAt: z.string().nullable() }),
});
export const VersionDetail = z.object({
  tenant: z.string(), domain: z.string(), version: z.number().int(), aliases: z.array(z.enum(ALIASES)),
  baseModelId: z.string().nullable(), createdAt: z.string().nullable(),
  artifacts: z.array(ArtifactRef),
  lineage: VersionLineage,
  modelCardHtml: z.string().meta({ description: 'The model card as HTML: raw HTML escaped, links only to the download routes.' }),
});
export const ArtifactBytes = z.string().meta({ description: 'The artifact\'s bytes, as an attachment.' });

export const Approval = z.object({
  workflowId: z.string(), tenant: z.string(), domain: z.string(), version: z.number().int(), target: z.string(), state: z.string(), startedAt: z.string().nullable(),
});
export const ApprovalList = z.object({ approvals: z.array(Approval) });
export const ReviewResult = z.object({
  workflowId: z.string(), state: z.string(),
  review: z.object({ reviewer: z.string(), comment: z.string().optional(), decision: z.enum(['approve', 'reject']) }),
});
export const RollbackResult = z.object({
  tenant: z.string(), domain: z.string(), alias: z.enum(ALIASES), previous: z.number().int().nullable(), version: z.number().int(), changed: z.boolean(),
});
