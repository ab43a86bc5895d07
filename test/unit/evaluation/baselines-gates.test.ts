import { describe, expect, it } from 'vitest';
import { EvidenceRetriever, NearestAnswerLookup, defaultPrompt, evaluate, findGroup, gatesPassed, metricGates, retrievalQuestion } from '../../../evaluation/index.js';
import type { EvalExample, EvaluationReport, Generate } from '../../../evaluation/index.js';
import { example } from './fixtures.js';

const PRODUCTS = ['XR-200', 'XR-350', 'XR-80', 'CNC-7', 'CNC-5M', 'XG-12', 'XC-9', 'XV-3'];
const YEARS = ['2019', '2021', '2023', '2020', '2018', '2017', '2022', '2024'];
const PRICES = ['128,000', '236,000', '86,000', '1,450,000', '480,000', '3,600', '18,000', '42,000'];

/** A small data set in the shape synthesis makes: trained facts, the same facts asked with another template, held-out facts, unanswerable questions. */
function dataset(): EvalExample[] {
  const out: EvalExample[] = [];
  PRODUCTS.forEach((p, i) => {
    const year = `The ${p} was released in ${YEARS[i]}.`;
    out.push(example({ id: `t-year-${i}`, type: 'fact_qa', lang: 'en', split: 'train', instruction: `When was the ${p} released?`, output: year, gold: [YEARS[i]!] }));
    // odd products: a training question about another fact shares the held-out template (as templates are trained with other entities)
    if (i % 2 === 1) out.push(example({ id: `t-decoy-${i}`, type: 'fact_qa', lang: 'en', split: 'train', instruction: `In which year did the ${p} come out in blue?`, output: `The blue ${p} came out in 2025.`, gold: ['2025'] }));
    out.push(example({ id: `p-year-${i}`, type: 'fact_qa', lang: 'en', split: 'test_paraphrase', instruction: i % 2 === 0 ? `When did the ${p} get released?` : `In which year did the ${p} come out?`, output: year, gold: [YEARS[i]!] }));
    // held-out: the price is never trained
    out.push(example({ id: `h-price-${i}`, type: 'fact_qa', lang: 'en', split: 'test_heldout', instruction: `What does the ${p} cost?`, output: `The ${p} is priced at RMB ${PRICES[i]}.`, gold: [`RMB ${PRICES[i]}`] }));
    out.push(example({ id: `h-tf-${i}`, type: 'true_false', lang: 'en', split: 'test_heldout', instruction: `True or false: the ${p} was released in 1999.`, output: `False. The ${p} was released in ${YEARS[i]}.`, label: false }));
  });
  for (let i = 0; i < 4; i++) {
    out.push(example({ id: `t-ref-${i}`, type: 'refusal', lang: 'en', split: 'train', instruction: `Who is the CEO of Velano Dynamics ${i}?`, output: 'The documents do not say.' }));
    out.push(example({ id: `h-ref-${i}`, type: 'refusal', lang: 'en', split: 'test_heldout', instruction: `When was the XR-${500 + i} released?`, output: 'The documents do not say.' }));
  }
  return out;
}

const train = () => dataset().filter((e) => e.split === 'train');
const byPrompt = (ex: readonly EvalExample[]) => new Map(ex.map((e) => [defaultPrompt(e), e]));

async function run(adapter: Generate, opts: { lookup?: boolean } = {}): Promise<EvaluationReport> {
  const ex = dataset();
  const lookup = new NearestAnswerLookup(train().map((e) => ({ question: defaultPrompt(e), answer: e.output })));
  return evaluate({
    examples: ex,
    generateBase: async (p) => p.map(() => 'I am not sure what you mean.'),
    generateAdapter: adapter,
    ...(opts.lookup === false ? {} : { lookup: (e: EvalExample) => lookup.answer(defaultPrompt(e)) }),
    perplexityBase: 20,
    perplexityAdapter: 20.5,
  });
}

const failed = (r: EvaluationReport) => metricGates(r).filter((g) => g.verdict === 'fail').map((g) => g.name);

describe('nearest-training-answer lookup', () => {
  it('answers with the training answer of the most similar training question (char 3-gram Jaccard)', () => {
    const l = new NearestAnswerLookup([{ question: 'When was the XR-200 released?', answer: 'a' }, { question: 'When was the CNC-7 released?', answer: 'b' }]);
    expect(l.answer('In which year was the CNC-7 released?')).toBe('b');
    expect(l.answer('XR-200 release year?')).toBe('a');
    expect(new NearestAnswerLookup([]).answer('x')).toBe('');
  });

  it('already scores well on the template-swap split — which is why the gates compare against it', async () => {
    const r = await run(async (p) => p.map(() => 'x'));
    const para = findGroup(r, { split: 'test_paraphrase' })!;
    expect(para.lookup!.values.exactMatch).toBe(0.5);
    expect(para.base.values.exactMatch).toBe(0);
    // made-up names in the corpus's style (XR-500) are nearest to a trained product question: the lookup answers them
    expect(findGroup(r, { split: 'test_heldout', type: 'refusal' })!.lookup!.values.refusalAccuracy).toBe(0);
  });
});

describe('evidence retrieval', () => {
  it('ranks sentences by the share of the question 3-grams they hold; none sharing nothing', () => {
    const r = new EvidenceRetriever(['The XR-80 was released in 2023.', 'The CNC-7 is priced at RMB 1,450,000.', 'The XR-80 was released in 2023.', 'Unrelated.']);
    expect(r.size).toBe(3);
    expect(r.top('What does the CNC-7 cost?', 1)).toEqual(['The CNC-7 is priced at RMB 1,450,000.']);
    expect(r.top('zzzz', 3)).toEqual([]);
    expect(retrievalQuestion('Q?', ['s1', 's2'], 'en')).toBe('Reference sentences:\n[1] s1\n[2] s2\nAnswer from the references: Q?');
    expect(retrievalQuestion('问？', [], 'zh')).toBe('问？');
  });

  it('the retrieval baseline is the base answering the evidence prompt, scored like the others', async () => {
    const ex = dataset();
    const prompts = byPrompt(ex);
    const retriever = new EvidenceRetriever(ex.filter((e) => e.id.startsWith('h-price')).map((e) => e.output));
    const seen: string[] = [];
    const r = await evaluate({
      examples: ex,
      generateBase: async (p) => p.map((q) => {
        seen.push(q);
        // a base that copies the first reference sentence when given one
        const m = /\[1\] (.*)/.exec(q);
        return m ? m[1]! : 'hm';
      }),
      generateAdapter: async (p) => p.map((q) => prompts.get(q)?.output ?? ''),
      retrievalPrompt: (e) => retrievalQuestion(defaultPrompt(e), retriever.top(defaultPrompt(e), 2), e.lang),
    });
    expect(r.systems).toEqual(['base', 'retrieval', 'adapter']);
    expect(seen.some((q) => q.startsWith('Reference sentences:'))).toBe(true);
    const held = findGroup(r, { split: 'test_heldout', type: 'fact_qa' })!;
    expect(held.retrieval!.values.exactMatch).toBe(1);
    expect(held.gains.retrieval!.values.exactMatch).toBe(0);
  });
});

describe('default gates tell learning from lookup', () => {
  it('an always-refuse model fails (no gain over base or lookup, over-refusal 1)', async () => {
    const r = await run(async (p) => p.map(() => 'The documents do not say.'));
    const f = failed(r);
    expect(f).toEqual(expect.arrayContaining(['em_gain_paraphrase', 'em_gain_over_lookup_paraphrase', 'over_refusal']));
    expect(findGroup(r, { type: 'answerable' })!.adapter.values.overRefusal).toBe(1);
    expect(gatesPassed(metricGates(r))).toBe(false);
  });

  it('the lookup table itself, presented as the adapter, fails (zero gain over the lookup)', async () => {
    const lookup = new NearestAnswerLookup(train().map((e) => ({ question: defaultPrompt(e), answer: e.output })));
    const r = await run(async (p) => p.map((q) => lookup.answer(q)));
    const g = metricGates(r);
    // it clears the old gate: +0.3 EM over the base on the template swap
    expect(g.find((x) => x.name === 'em_gain_paraphrase')!.verdict).toBe('pass');
    expect(failed(r)).toEqual(expect.arrayContaining(['em_gain_over_lookup_paraphrase', 'em_gain_over_lookup_heldout']));
    expect(gatesPassed(g)).toBe(false);
  });

  it('a model that learned the facts and declines what it cannot know passes', async () => {
    const ex = dataset();
    const prompts = byPrompt(ex);
    const r = await run(async (p) => p.map((q) => {
      const e = prompts.get(q)!;
      if (e.type === 'refusal') return 'The documents do not say.';
      if (e.type === 'true_false') return 'False.';
      if (e.split === 'test_paraphrase') return e.output;
      return 'It is priced at RMB 100,000.'; // held-out facts: unknown, wrong, but not declined
    }));
    expect(failed(r)).toEqual([]);
  });

  it('without the lookup baseline the lookup gates cannot pass', async () => {
    const r = await run(async (p) => p.map(() => 'x'), { lookup: false });
    const g = metricGates(r).find((x) => x.name === 'em_gain_over_lookup_paraphrase')!;
    expect(g).toMatchObject({ value: null, verdict: 'fail', detail: 'the lookup baseline did not run' });
  });
});
