import { ApplicationFailure, condition, defineQuery, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import { z } from 'zod';
import type { RegistryActivities } from '../activities/index.js';
import { REGISTRY } from './options.js';

const registry = proxyActivities<RegistryActivities>(REGISTRY);

export interface PromoteInput {
  tenant: string;
  domain: string;
  version: number;
  target: 'staging' | 'production';
  /** How long `production` waits for a human decision, e.g. "24h". */
  approvalTimeout: string;
}
/**
 * An approve/reject payload, validated when it arrives (the Temporal UI's signal form starts empty):
 * a payload without a reviewer is refused, recorded in `refused`, and the promotion stays pending.
 */
export const ReviewSchema = z.object({
  reviewer: z.string().trim().min(1, 'reviewer is required (who decides)').max(200),
  comment: z.string().max(2000).optional(),
});
export type Review = z.infer<typeof ReviewSchema>;
export type PromotionState = 'checking-gates' | 'blocked-by-gates' | 'staging' | 'awaiting-approval' | 'approved' | 'rejected' | 'timed-out' | 'production';
export interface PromoteStatus { state: PromotionState; version: number; target: string; review?: Review & { decision: 'approve' | 'reject' }; reasons: string[];
  /** Approve/reject signals refused on arrival (bad payload), newest last: why each was refused. */
  refused?: string[];
}

export const approveSignal = defineSignal<[Review]>('approve');
export const rejectSignal = defineSignal<[Review]>('reject');
export const promotionStateQuery = defineQuery<PromoteStatus>('state');

function reviewIssues(e: z.ZodError): string {
  return e.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/**
 * Gates first: an adapter whose gates failed never reaches `staging`. `production` additionally waits
 * for an approve/reject signal (Web UI or `kgtune adapters approve|reject`) up to `approvalTimeout`.
 */
export async function promoteAdapter(input: PromoteInput): Promise<PromoteStatus> {
  const status: PromoteStatus = { state: 'checking-gates', version: input.version, target: input.target, reasons: [] };
  setHandler(promotionStateQuery, () => status);
  const onReview = (decision: 'approve' | 'reject') => (raw: unknown): void => {
    const r = ReviewSchema.safeParse(raw);
    if (!r.success) {
      status.refused = [...(status.refused ?? []), `${decision} refused: ${reviewIssues(r.error)}`].slice(-10);
      return;
    }
    status.review ??= { ...r.data, decision };
  };
  setHandler(approveSignal, onReview('approve'));
  setHandler(rejectSignal, onReview('reject'));

  const gates = await registry.adapterGatesPassed({ tenant: input.tenant, domain: input.domain, version: input.version });
  if (!gates.passed) {
    status.state = 'blocked-by-gates';
    status.reasons = gates.reasons;
    return status;
  }
  await registry.setAlias({ tenant: input.tenant, domain: input.domain, alias: 'staging', version: input.version, actor: 'pipeline', reason: 'gates passed' });
  status.state = 'staging';
  if (input.target === 'staging') return status;

  status.state = 'awaiting-approval';
  const decided = await condition(() => status.review !== undefined, input.approvalTimeout as `${number}h`);
  if (!decided) {
    status.state = 'timed-out';
    return status;
  }
  const review = status.review;
  if (!review) throw ApplicationFailure.nonRetryable('review missing after condition', 'InternalError');
  if (review.decision === 'reject') {
    status.state = 'rejected';
    return status;
  }
  status.state = 'approved';
  await registry.setAlias({ tenant: input.tenant, domain: input.domain, alias: 'production', version: input.version, actor: review.reviewer, reason: review.comment ?? 'approved' });
  status.state = 'production';
  return status;
}
