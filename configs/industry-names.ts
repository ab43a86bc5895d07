/**
 * The industry packs shipped in configs/industries/*.yaml, by name. Pure (no I/O), so pipeline
 * input validation — which also runs inside workflows — can reject an unknown pack before ingest.
 * A unit test keeps this list equal to the folder's files: a new pack is one YAML file plus its name here.
 */
export const INDUSTRY_PACKS = ['generic', 'manufacturing'] as const;
export type IndustryName = (typeof INDUSTRY_PACKS)[number];

/**
 * The pack a pipeline uses when none is given: `generic`, the ontology every pack extends
 * (organizations, people, places, products; located in, founded, CEO, subsidiary …). It holds no
 * industry-specific relation, so a corpus of any industry gets no facts of a vocabulary that is not
 * its own (with `manufacturing` as the default, a non-manufacturing corpus got CERTIFIED / PRICED_AT
 * facts from look-alike sentences). An industry pack is an explicit choice: `--industry manufacturing`.
 */
export const DEFAULT_INDUSTRY: IndustryName = 'generic';

/** One line naming the known packs, for errors. */
export function unknownIndustryMessage(name: unknown): string {
  return `unknown industry pack ${JSON.stringify(name)} — known packs: ${INDUSTRY_PACKS.join(', ')} (configs/industries/<name>.yaml)`;
}
