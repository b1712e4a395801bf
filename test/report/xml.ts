// A small strict XML parser for tests: it throws on anything that is not well-formed XML 1.0 (unclosed or
// crossed tags, unquoted or repeated attributes, a raw "<" or "&" in text, unknown entities, characters XML
// forbids) and returns the element tree with entities decoded.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_:][\w.:-]*/;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function decode(raw: string, where: number): string {
  if (FORBIDDEN.test(raw)) throw new Error(`character XML forbids near offset ${where}`);
  if (/<|&(?!(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(raw)) throw new Error(`raw "<" or "&" near offset ${where}`);
  return raw.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (_, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : ENTITIES[e]!,
  );
}

export function parseXml(xml: string): XmlElement {
  let i = 0;
  const fail = (message: string): never => {
    throw new Error(`${message} at offset ${i}: ${JSON.stringify(xml.slice(i, i + 40))}`);
  };
  const skipSpace = () => {
    while (/\s/.test(xml[i] ?? '')) i++;
  };
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) fail('unterminated declaration');
    i = end + 2;
  }
  skipSpace();

  function element(): XmlElement {
    if (xml[i] !== '<') fail('expected "<"');
    i++;
    const name = NAME.exec(xml.slice(i))?.[0] ?? fail('expected an element name');
    i += name.length;
    const attributes: Record<string, string> = {};
    for (;;) {
      const before = i;
      skipSpace();
      if (xml.startsWith('/>', i)) {
        i += 2;
        return { name, attributes, children: [], text: '' };
      }
      if (xml[i] === '>') {
        i++;
        break;
      }
      if (i === before) fail('expected whitespace before an attribute');
      const attr = NAME.exec(xml.slice(i))?.[0] ?? fail('expected an attribute name');
      i += attr.length;
      if (xml[i] !== '=') fail('expected "="');
      const quote = xml[++i];
      if (quote !== '"' && quote !== "'") fail('attribute value must be quoted');
      const end = xml.indexOf(quote, i + 1);
      if (end < 0) fail('unterminated attribute value');
      if (attr in attributes) fail(`attribute ${attr} repeated`);
      attributes[attr] = decode(xml.slice(i + 1, end), i);
      i = end + 1;
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      const next = xml.indexOf('<', i);
      if (next < 0) fail(`element ${name} is not closed`);
      text += decode(xml.slice(i, next), i);
      i = next;
      if (xml.startsWith('</', i)) {
        i += 2;
        const closing = NAME.exec(xml.slice(i))?.[0];
        if (closing !== name) fail(`</${closing}> closes <${name}>`);
        i += name.length;
        skipSpace();
        if (xml[i] !== '>') fail('expected ">"');
        i++;
        return { name, attributes, children, text };
      }
      if (xml.startsWith('<!--', i)) {
        const end = xml.indexOf('-->', i);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
        continue;
      }
      children.push(element());
    }
  }

  const root = element();
  skipSpace();
  if (i !== xml.length) fail('content after the root element');
  return root;
}
