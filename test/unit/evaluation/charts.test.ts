import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate, lossCurveSvg, metricBarsSvg, metricGates, reportToMarkdown, writeReport } from '../../../evaluation/index.js';
import { example } from './fixtures.js';
import { parseXml } from './xml-wellformed.js';

const losses = Array.from({ length: 50 }, (_, i) => ({ step: i * 20, train: 3 * Math.exp(-i / 10) + 0.3, ...(i % 10 === 0 ? { val: 3.2 * Math.exp(-i / 12) + 0.4 } : {}) }));

describe('SVG charts', () => {
  it('the checker rejects malformed XML', () => {
    expect(() => parseXml('<svg><g></svg>')).toThrow();
    expect(() => parseXml('<svg a=1/>')).toThrow();
    expect(() => parseXml('<svg><text>a & b</text></svg>')).toThrow();
    expect(parseXml('<svg a="1"><text>a &amp; b</text></svg>').root).toBe('svg');
  });

  it('loss curve: well-formed, two series, axes, labels and legend', () => {
    const svg = lossCurveSvg(losses, { title: 'Loss <run 1> & co' });
    const doc = parseXml(svg);
    expect(doc.root).toBe('svg');
    expect(svg).toContain('class="train"');
    expect(svg).toContain('class="val"');
    expect(doc.texts).toEqual(expect.arrayContaining(['Step', 'Loss', 'train', 'validation', 'Loss &lt;run 1&gt; &amp; co']));
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('loss curve survives NaN losses, no validation and no points', () => {
    const svg = lossCurveSvg([{ step: 0, train: 2 }, { step: 1, train: Number.NaN }, { step: 2, train: 1 }]);
    parseXml(svg);
    expect(svg).not.toMatch(/NaN|Infinity/);
    expect(svg).not.toContain('class="val"');
    // the NaN breaks the line into two pieces
    expect(svg.match(/class="train" d="([^"]*)"/)![1]!.match(/M/g)).toHaveLength(2);
    expect(parseXml(lossCurveSvg([])).texts).toContain('no loss recorded');
  });

  it('loss curve draws replayed general-text steps as their own line, not in the task loss', () => {
    const pts = Array.from({ length: 12 }, (_, i) => (i % 4 === 3 ? { step: i + 1, train: 3.5, replay: true } : { step: i + 1, train: 2 - i * 0.1 }));
    const svg = lossCurveSvg(pts);
    parseXml(svg);
    const train = svg.match(/class="train" d="([^"]*)"/)![1]!;
    const replay = svg.match(/class="replay" d="([^"]*)"/)![1]!;
    expect(train.match(/[ML]/g)).toHaveLength(9);
    expect(replay.match(/[ML]/g)).toHaveLength(3);
    expect(parseXml(svg).texts).toContain('general text (replay)');
    expect(lossCurveSvg([{ step: 1, train: 1 }])).not.toContain('class="replay"');
  });

  it('loss curve draws self-distillation steps as their own line, not in the task loss (tiny base: one micro-batch a step)', () => {
    // replay 1 in 4, distillation 1 in 2 of the rest: task, distill, task, replay, …
    const kind = (i: number) => (i % 4 === 3 ? { replay: true } : i % 2 === 1 ? { distill: true } : {});
    const pts = Array.from({ length: 16 }, (_, i) => ({ step: i + 1, train: 2 - i * 0.05, ...kind(i) }));
    const svg = lossCurveSvg(pts);
    parseXml(svg);
    const count = (cls: string) => svg.match(new RegExp(`class="${cls}" d="([^"]*)"`))![1]!.match(/[ML]/g)!.length;
    expect([count('train'), count('distill'), count('replay')]).toEqual([8, 4, 4]);
    expect(parseXml(svg).texts).toEqual(expect.arrayContaining(['train', 'general text (replay)', 'general prompts (self-distillation)']));
    expect(lossCurveSvg([{ step: 1, train: 1 }, { step: 2, train: 1, replay: true }])).not.toContain('class="distill"');
  });

  it('grouped bars: base and adapter per metric, values printed, n/a for missing', () => {
    const svg = metricBarsSvg([
      { label: 'Exact match', base: 0.1, adapter: 0.7 },
      { label: 'Refusal accuracy', base: null, adapter: 0.9 },
    ]);
    const doc = parseXml(svg);
    expect(svg.match(/class="base"/g)).toHaveLength(1);
    expect(svg.match(/class="adapter"/g)).toHaveLength(2);
    expect(doc.texts).toEqual(expect.arrayContaining(['0.10', '0.70', '0.90', 'n/a', 'base', 'adapter', 'Exact match', 'Score']));
  });
});

describe('report writers', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('writes JSON, markdown with tables and chart links, and well-formed SVGs', async () => {
    const report = await evaluate({
      examples: [
        example({ id: 'a', type: 'fact_qa', lang: 'zh', split: 'test_paraphrase', output: '深圳', gold: ['深圳'] }),
        example({ id: 'b', type: 'refusal', lang: 'en', split: 'test_heldout', output: 'The documents do not say.' }),
      ],
      generateBase: async (p) => p.map(() => 'x'),
      generateAdapter: async (p) => p.map((q) => (q.endsWith('a') ? '深圳' : 'The documents do not say.')),
      perplexityBase: 10,
      perplexityAdapter: 10.5,
    });
    const gates = metricGates(report);
    const dir = await mkdtemp(path.join(tmpdir(), 'kgtune-report-'));
    dirs.push(dir);
    const out = await writeReport(report, dir, { losses, gates, title: 'Demo' });
    const json = JSON.parse(await readFile(out.json, 'utf8')) as { groups: unknown[]; gates: unknown[] };
    expect(json.groups.length).toBeGreaterThan(0);
    expect(json.gates).toHaveLength(6);
    const md = await readFile(out.markdown, 'utf8');
    expect(md).toContain('### Test: template swap (trained facts asked with a question template held out for them)');
    expect(md).not.toContain('paraphrased questions');
    expect(md).toContain('| test_paraphrase | answerable | Exact match | 1 ⚠ | 0.00 [0.00, 0.00] | 1.00 [1.00, 1.00] | +1.00 [+1.00, +1.00] |');
    expect(md).toContain('test_heldout: only 1 unanswerable questions (n < 30)');
    expect(md).toContain('| zh | fact_qa | 1 | 0.000 → **1.000** (+1.000)');
    expect(md).toContain('![Training and validation loss](loss.svg)');
    expect(md).toContain('em_gain_paraphrase');
    expect(Object.keys(out.charts).sort()).toEqual(['loss', 'metrics-all', 'metrics-test_heldout', 'metrics-test_paraphrase']);
    for (const file of Object.values(out.charts)) parseXml(await readFile(file, 'utf8'));
    expect(reportToMarkdown(report)).not.toContain('## Gates');
  });
});
