import { describe, expect, it } from 'vitest';
import { extractTexts } from './helpers.js';

/** Sentences written for this test in the shape of a security report citing a study (made-up institute and figures). */
const run = extractTexts;
const facts = (...texts: string[]) => run(...texts).facts.filter((f) => f.predicate.startsWith('ATTR:')).map((f) => `${f.subject} | ${f.predicate.slice(5)} | ${f.object}`);

const STUDY = 'Studies from the Harwell Institute revealed that the average cost of a phishing attack increased in 2019 by 12% globally and resulted in a revenue loss of $3.1 million per incident.';

describe('figures a named source reports', () => {
  it('gives each figure of "Studies from ORG revealed that …" to the organisation, named by what it measures', () => {
    const f = facts(STUDY);
    expect(f).toContain('Harwell Institute | increase in average cost of a phishing attack | 12%');
    expect(f).toContain('Harwell Institute | revenue loss per incident | $3.1 million');
  });

  it('goes on with the source in the next sentence opening with "The", and no further', () => {
    const next = 'The average cost of each stolen account increased more than 7% to $88 per account.';
    const f = facts(`${STUDY} ${next}`);
    expect(f).toContain('Harwell Institute | average cost of each stolen account per account | $88');
    expect(f).toContain('Harwell Institute | increase in average cost of each stolen account | 7%');
    // A sentence in between, or no source named at all: the figure belongs to nobody stated.
    expect(facts(`${STUDY} Attacks grew. ${next}`).filter((x) => x.includes('$88'))).toEqual([]);
    expect(facts(next)).toEqual([]);
  });
});
