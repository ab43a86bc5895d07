import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Registered on the dev server by `kgtune services up`; let the Web UI filter runs. */
export const SEARCH_ATTRIBUTES = {
  tenant: defineSearchAttributeKey('Tenant', SearchAttributeType.KEYWORD),
  corpus: defineSearchAttributeKey('Corpus', SearchAttributeType.KEYWORD),
  domain: defineSearchAttributeKey('Domain', SearchAttributeType.KEYWORD),
  stage: defineSearchAttributeKey('Stage', SearchAttributeType.KEYWORD),
};
