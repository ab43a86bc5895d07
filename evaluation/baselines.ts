/**
 * The two baselines an adapter must beat besides its base:
 * - nearest-training-answer lookup: no model, the answer of the most similar training question;
 * - retrieval: the question with the top-k evidence sentences of the graph in the prompt (what a user
 *   would try instead of fine-tuning), answered by the base with the same decoding.
 */

/** Character 3-grams of a lightly normalised string (NFKC, lower case, whitespace dropped). */
export function charTrigrams(text: string): Set<string> {
  const s = Array.from(text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ''));
  const out = new Set<string>();
  if (s.length < 3) {
    if (s.length > 0) out.add(s.join(''));
    return out;
  }
  for (let i = 0; i + 3 <= s.length; i++) out.add(s.slice(i, i + 3).join(''));
  return out;
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let common = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (large.has(x)) common++;
  return common / (a.size + b.size - common);
}

export interface LookupPair {
  question: string;
  answer: string;
}

/**
 * Answers with the training answer whose question has the highest character 3-gram Jaccard
 * similarity to the asked question (ties: the earlier training pair). Empty training set → ''.
 */
export class NearestAnswerLookup {
  private readonly grams: Array<{ grams: Set<string>; answer: string }>;

  constructor(train: readonly LookupPair[]) {
    this.grams = train.map((p) => ({ grams: charTrigrams(p.question), answer: p.answer }));
  }

  answer(question: string): string {
    const q = charTrigrams(question);
    let best = -1;
    let answer = '';
    for (const t of this.grams) {
      const s = jaccard(q, t.grams);
      if (s > best) {
        best = s;
        answer = t.answer;
      }
    }
    return answer;
  }
}

/**
 * Top-k evidence sentences for a question: ranked by the share of the question's character 3-grams
 * they contain (ties: corpus order); duplicates removed; sentences sharing nothing are never taken.
 */
export class EvidenceRetriever {
  private readonly sentences: Array<{ text: string; grams: Set<string> }>;

  constructor(sentences: readonly string[]) {
    const seen = new Set<string>();
    this.sentences = [];
    for (const s of sentences) {
      const t = s.trim();
      if (t === '' || seen.has(t)) continue;
      seen.add(t);
      this.sentences.push({ text: t, grams: charTrigrams(t) });
    }
  }

  get size(): number {
    return this.sentences.length;
  }

  top(question: string, k: number): string[] {
    const q = charTrigrams(question);
    if (q.size === 0) return [];
    return this.sentences
      .map((s, i) => {
        let c = 0;
        for (const g of q) if (s.grams.has(g)) c++;
        return { s: s.text, score: c / q.size, i };
      })
      .filter((x) => x.score > 0)
      .sort((a, b) => b.score - a.score || a.i - b.i)
      .slice(0, k)
      .map((x) => x.s);
  }
}

/** Evidence-in-the-prompt form: the sentences as numbered references, then the question. */
export function retrievalQuestion(question: string, evidence: readonly string[], lang: 'zh' | 'en'): string {
  if (evidence.length === 0) return question;
  const head = lang === 'zh' ? '参考资料：' : 'Reference sentences:';
  const tail = lang === 'zh' ? '根据参考资料回答：' : 'Answer from the references:';
  return `${head}\n${evidence.map((s, i) => `[${i + 1}] ${s}`).join('\n')}\n${tail}${lang === 'zh' ? '' : ' '}${question}`;
}
