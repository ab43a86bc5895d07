import { describe, expect, it } from 'vitest';
import { extractTexts } from './helpers.js';

const run = extractTexts;

describe('precision on prose (licence-like text)', () => {
  it('keeps a lower-case dictionary word in prose out of the entities unless a fact uses it', () => {
    const prose = run('You may display the Work publicly. Display of the notice is required.');
    expect(prose.entities.map((e) => e.name.toLowerCase())).not.toContain('display');
    const stated = run('The AG-7 consists of a chassis, a display and a controller.');
    expect(stated.facts.map((f) => `${f.subject} ${f.predicate} ${f.object}`)).toContain('AG-7 HAS_PART display');
  });

  it('states nothing when the subject is an unrecognised word and the object only a phrase of the clause', () => {
    const r = run('The License is a further restriction on the rights granted.', 'The GNU General Public License is a free, copyleft license for software.');
    expect(r.facts.filter((f) => f.predicate === 'IS_A')).toEqual([]);
  });
});
