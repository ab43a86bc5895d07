/**
 * Promotion reviews from outside a worker (the CLI's `adapters approve|reject`, the registry view): checked that
 * the id is a running promotion waiting for a decision, signalled, and confirmed from its state query.
 */
import type { Client } from '@temporalio/client';
import { KgtuneError } from '../configs/pure/errors.js';
import { ReviewSchema, type PromoteStatus } from '../workflows/promote.js';
import { queryPromotionState, signalReview } from './handles.js';

export type ReviewErrorCode = 'InvalidReview' | 'NotFound' | 'Conflict' | 'NoWorker';

/** A review that was not delivered: bad payload, no such promotion, not waiting, refused, or no worker answered. */
export class ReviewError extends KgtuneError {
  get code(): string { return this.kind; }
  get retryable(): boolean { return this.kind === 'NoWorker'; }
  constructor(readonly kind: ReviewErrorCode, message: string) {
    super(message);
    this.name = 'ReviewError';
  }
}

/** `p`'s value, or undefined when it takes longer than `ms`. */
export async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<undefined>((res) => { timer = setTimeout(() => res(undefined), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls the promotion's `state` until `done(state)` or `ms` pass; undefined when no worker answered. */
export async function waitForPromotion(client: Client, workflowId: string, done: (s: PromoteStatus) => boolean, ms = 30_000): Promise<PromoteStatus | undefined> {
  const until = Date.now() + ms;
  let last: PromoteStatus | undefined;
  while (Date.now() < until) {
    last = await withTimeout(queryPromotionState(client, workflowId).catch(() => undefined), Math.max(1000, until - Date.now())) ?? last;
    if (last && done(last)) return last;
    await new Promise((res) => setTimeout(res, 300));
  }
  return last;
}

/**
 * Sends approve/reject to a promotion after checking that `id` is a running promotion (not the
 * pipeline that started it) and that the review is valid; returns the state afterwards. A
 * payload the workflow refused is an error, not "sent".
 */
export async function sendReview(client: Client, id: string, decision: 'approve' | 'reject', raw: { reviewer?: string; comment?: string }, waitMs = 15_000): Promise<PromoteStatus> {
  const review = ReviewSchema.safeParse(raw);
  if (!review.success) throw new ReviewError('InvalidReview', `cannot ${decision}: ${review.error.issues.map((i) => i.message).join('; ')} — pass --reviewer NAME`);
  const handle = client.workflow.getHandle(id);
  const d = await handle.describe().catch((e: Error) => {
    if (e.name === 'WorkflowNotFoundError') throw new ReviewError('NotFound', `no workflow '${id}' — the promotion of a pipeline is '<pipeline id>.promote'; \`kgtune adapters promote\` prints its own id`);
    throw e;
  });
  if (d.type !== 'promoteAdapter') {
    throw new ReviewError('Conflict', `'${id}' is a ${d.type} workflow, not a promotion${d.type === 'domainAdapterPipeline' ? ` — its promotion is '${id}.promote'` : ''}`);
  }
  if (d.status.name !== 'RUNNING') throw new ReviewError('Conflict', `promotion '${id}' has already ended (${d.status.name}); nothing was ${decision === 'approve' ? 'approved' : 'rejected'}`);
  const before = await queryPromotionState(client, id);
  if (before.state !== 'awaiting-approval' && before.state !== 'checking-gates' && before.state !== 'staging') {
    throw new ReviewError('Conflict', `promotion '${id}' is not waiting for a decision (state: ${before.state})`);
  }
  const refusedBefore = before.refused?.length ?? 0;
  await signalReview(client, id, decision, review.data);
  const after = await waitForPromotion(client, id, (s) => (s.refused?.length ?? 0) > refusedBefore || s.review !== undefined, waitMs);
  if (!after) throw new ReviewError('NoWorker', `${decision} sent to '${id}' but no worker answered within ${waitMs / 1000}s — start \`kgtune worker\``);
  if ((after.refused?.length ?? 0) > refusedBefore) throw new ReviewError('Conflict', `promotion '${id}' refused the ${decision}: ${after.refused?.at(-1) ?? ''}`);
  if (after.review && after.review.decision !== decision) throw new ReviewError('Conflict', `promotion '${id}' was already ${after.review.decision === 'approve' ? 'approved' : 'rejected'} by ${after.review.reviewer}`);
  return after;
}
