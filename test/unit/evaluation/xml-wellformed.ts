/**
 * A strict little XML well-formedness checker for the charts (no XML parser is installed):
 * one root, balanced tags, quoted attributes without duplicates, only the five entities.
 * Returns the element names in document order; throws with a position on any error.
 */
export function parseXml(xml: string): { root: string; elements: string[]; texts: string[] } {
  let i = 0;
  const stack: string[] = [];
  const elements: string[] = [];
  const texts: string[] = [];
  let root: string | undefined;
  const fail = (msg: string): never => {
    throw new Error(`${msg} at ${i}: ${JSON.stringify(xml.slice(Math.max(0, i - 30), i + 30))}`);
  };
  const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
  const checkText = (t: string) => {
    if (/[<]/.test(t)) fail('raw < in text');
    for (const m of t.matchAll(/&([^;]*);?/g)) if (!/^(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+)$/.test(m[1]!) || !m[0].endsWith(';')) fail(`bad entity ${m[0]}`);
  };
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) fail('unterminated declaration');
    i = end + 2;
  }
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (stack.length === 0 && text.trim() !== '') fail('text outside the root');
    checkText(text);
    if (stack.length > 0 && text.trim() !== '') texts.push(text);
    if (lt < 0) break;
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i);
      if (end < 0) fail('unterminated comment');
      i = end + 3;
      continue;
    }
    if (xml.startsWith('</', i)) {
      i += 2;
      NAME.lastIndex = i;
      const m = NAME.exec(xml);
      if (m === null) fail('bad closing tag');
      const name = m![0];
      i += name.length;
      while (/\s/.test(xml[i] ?? '')) i++;
      if (xml[i] !== '>') fail('expected >');
      i++;
      if (stack.pop() !== name) fail(`mismatched </${name}>`);
      continue;
    }
    i++;
    NAME.lastIndex = i;
    const m = NAME.exec(xml);
    if (m === null) fail('bad tag name');
    const name = m![0];
    i += name.length;
    const seen = new Set<string>();
    for (;;) {
      const ws = /\s*/y;
      ws.lastIndex = i;
      ws.exec(xml);
      const hadSpace = ws.lastIndex > i;
      i = ws.lastIndex;
      if (xml.startsWith('/>', i)) {
        i += 2;
        elements.push(name);
        if (stack.length === 0) {
          if (root !== undefined) fail('second root');
          root = name;
        }
        break;
      }
      if (xml[i] === '>') {
        i++;
        elements.push(name);
        if (stack.length === 0) {
          if (root !== undefined) fail('second root');
          root = name;
        }
        stack.push(name);
        break;
      }
      if (!hadSpace) fail('attributes need a space before them');
      NAME.lastIndex = i;
      const a = NAME.exec(xml);
      if (a === null) fail('bad attribute name');
      const attr = a![0];
      if (seen.has(attr)) fail(`duplicate attribute ${attr}`);
      seen.add(attr);
      i += attr.length;
      if (xml[i] !== '=') fail('expected =');
      i++;
      const q = xml[i];
      if (q !== '"' && q !== "'") fail('unquoted attribute');
      const end = xml.indexOf(q!, i + 1);
      if (end < 0) fail('unterminated attribute');
      checkText(xml.slice(i + 1, end));
      i = end + 1;
    }
  }
  if (stack.length > 0) fail(`unclosed <${stack[stack.length - 1]}>`);
  if (root === undefined) fail('no root element');
  return { root: root!, elements, texts };
}
