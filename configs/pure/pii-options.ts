/**
 * Per-tenant PII policy as given in the pipeline input (pure: imported by workflows through
 * configs/pipeline-input.ts, and by ingest/pii.ts which applies it). Defaults are the behaviour
 * before this option existed: every kind found, replaced by its typed placeholder, nothing allowed.
 */
import { z } from 'zod';

/**
 * What the detector finds. `enPhone` is every phone number that is not a mainland-China mobile or
 * landline: North-American (NANP), international E.164 (`+44 20 7946 0958`) and UK national forms.
 */
export const PII_KINDS = ['email', 'idCard', 'uscc', 'bankCard', 'mobile', 'landline', 'enPhone'] as const;
export const PiiKind = z.enum(PII_KINDS);
export type PiiKind = z.infer<typeof PiiKind>;

/**
 * `mask`: typed placeholder (`[PHONE]`); `hash`: typed placeholder with a keyed digest of the value
 * (`[PHONE:3f2a9c1b]`), so the same number stays recognisable across documents without being stored —
 * pseudonymisation, not anonymisation; `drop`: the value is removed.
 */
export const PiiAction = z.enum(['mask', 'hash', 'drop']);
export type PiiAction = z.infer<typeof PiiAction>;

export const PiiOptions = z.object({
  /** Kinds redacted; the others stay in the text. */
  kinds: z.array(PiiKind).max(PII_KINDS.length).default([...PII_KINDS]),
  action: PiiAction.default('mask'),
  /**
   * Values never redacted, e.g. a published hotline or investor-relations address. Compared on the
   * value's digits for numbers (`021-6123 4567` allows `02161234567`), case-insensitively for emails.
   */
  allow: z.array(z.string().trim().min(3).max(200)).max(1000).default([]),
});
export type PiiOptions = z.infer<typeof PiiOptions>;
export type PiiOptionsInput = z.input<typeof PiiOptions>;
