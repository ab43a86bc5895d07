import { describe, expect, it } from 'vitest';
import { extractTexts } from './helpers.js';

/** Sentences written for this test in the shape of a US federal rule text (made-up bodies, not from the real-text set). */
const run = extractTexts;
const facts = (...texts: string[]) => run(...texts).facts.map((f) => `${f.subject} ${f.predicate} ${f.object}`);
const orgs = (...texts: string[]) => run(...texts).entities.filter((e) => e.type === 'Organization').map((e) => e.name);

describe('public bodies in rule texts', () => {
  it('names a body head-first ("Office of the …", "Department of …") and joined by "and" before its head', () => {
    const o = orgs('The Office of the Maritime Registry works with the Department of Coastal Affairs. The Harbor Safety and Pilotage Administration agreed.');
    expect(o).toContain('Office of the Maritime Registry');
    expect(o).toContain('Department of Coastal Affairs');
    expect(o).toContain('Harbor Safety and Pilotage Administration');
    // A company's organ is no name; two names joined by "and" are not one.
    const n = orgs('The Board of Directors met. The Acme Briefing Center and Acme Project Office helped.');
    expect(n).not.toContain('Board of Directors');
    expect(n).not.toContain('Acme Briefing Center and Acme Project Office');
  });

  it('reads "X is a component of Y" as PART_OF', () => {
    expect(facts('The Office of the Maritime Registry is a component of the Department of Coastal Affairs.')).toContain('Office of the Maritime Registry PART_OF Department of Coastal Affairs');
  });

  it('locates a body in the city and state closing its address, "The office" standing for the one office named just before', () => {
    expect(facts('The Office of the Maritime Registry publishes notices. The office is located at 100 Harbor Street, suite B-12, Portland, ME.')).toContain('Office of the Maritime Registry LOCATED_IN Portland, ME');
    expect(facts('<P>(b) The Harbor Safety Commission is located at 12 Pier Road, Salem, MA 01970.</P>')).toContain('Harbor Safety Commission LOCATED_IN Salem, MA');
    // Two offices named before: "The office" is not clear; an address without city and state places nothing.
    expect(facts('The Office of the Maritime Registry works with the Office of Coastal Permits. The office is located at 100 Harbor Street, Portland, ME.').filter((x) => x.includes('LOCATED_IN'))).toEqual([]);
    expect(facts('The Office of the Maritime Registry publishes notices. The office is located at 100 Harbor Street.').filter((x) => x.includes('LOCATED_IN'))).toEqual([]);
  });
});
