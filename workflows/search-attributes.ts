import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Registered on the dev server by `kgtune services up`; let the Web UI filter runs. */
export const SEARCH_ATTRIBUTES = {
  tenant: defineSearchAttributeKey('Tenant', SearchAttributeType.KEYWORD),
  corpus: defineSearchAttributeKey('Corpus', SearchAttributeType.KEYWORD),
  domain: defineSearchAttributeKey('Domain', SearchAttributeType.KEYWORD),
  stage: defineSearchAttributeKey('Stage', SearchAttributeType.KEYWORD),
  /** How a finished run ended: registered | blocked-by-gates | failed | canceled. */
  outcome: defineSearchAttributeKey('Outcome', SearchAttributeType.KEYWORD),
  /** The stage a failed run failed in (or `input`). */
  failedStage: defineSearchAttributeKey('FailedStage', SearchAttributeType.KEYWORD),
  /** A failed run's reason, one line. */
  failureReason: defineSearchAttributeKey('FailureReason', SearchAttributeType.TEXT),
};
