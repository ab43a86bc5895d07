import { describe, expect, it } from 'vitest';
import { generateKey, OPERATOR_KEY_PREFIX, OperatorName, parseKey, parseOperatorKey } from '../../../client/index.js';
import { markdownToSafeHtml } from '../../../api/model-card-html.js';

const ROUTE = '/v1/ops/adapters/acme/machining/3/artifacts';

describe('model card → HTML for the registry view', () => {
  it('escapes raw HTML and links only to the API\'s own download routes', () => {
    const html = markdownToSafeHtml([
      '# Adapter <img src=x onerror=alert(1)>',
      '',
      `[weights](file:///home/kgtune/.kgtune/store/sha256/ab/abc) · [manifest](${ROUTE}/manifest.json) · [x](javascript:alert(1)) · [y](https://example.invalid/) · [z](${ROUTE}/../../../2/artifacts/report.md)`,
      '',
      `![chart](${ROUTE}/metrics.svg) ![svg](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)`,
      '',
      '<script>alert(1)</script>',
    ].join('\n'));
    expect(html).not.toMatch(/<script|<[^>]*onerror/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const addresses = [...html.matchAll(/(?:href|src)="([^"]*)"/g)].map((m) => m[1]);
    expect(addresses).toEqual([`${ROUTE}/manifest.json`, `${ROUTE}/metrics.svg`]);
  });

  it('keeps the card\'s foldable training config, and only that, as real <details>', () => {
    const html = markdownToSafeHtml('<details><summary>Resolved training config</summary>\n\n```json\n{"steps": 12}\n```\n\n</details>\n\n<details><summary><b>x</b></summary>');
    expect(html).toContain('<details><summary>Resolved training config</summary>');
    expect(html).toContain('</details>');
    expect(html).toContain('&lt;details&gt;&lt;summary&gt;&lt;b&gt;x&lt;/b&gt;');
  });
});

describe('operator keys', () => {
  it('cannot pass for tenant keys or the other way round', () => {
    const o = generateKey(OPERATOR_KEY_PREFIX);
    const t = generateKey();
    expect(o.key.startsWith('kgo_')).toBe(true);
    expect(parseOperatorKey(o.key)).toEqual({ keyId: o.keyId });
    expect(parseKey(o.key)).toBeUndefined();
    expect(parseOperatorKey(t.key)).toBeUndefined();
  });

  it('names are required (they are recorded as the reviewer) and free of control characters', () => {
    expect(OperatorName.safeParse('  ').success).toBe(false);
    expect(OperatorName.safeParse('dana\u202Egnp').success).toBe(false);
    expect(OperatorName.parse('  Dana Reviewer ')).toBe('Dana Reviewer');
  });
});
