import { parser as saxParser, type SAXParser } from 'sax';

/** Bounds on the shape of one XML request body (the davmesh.limits.xml.* keys). */
export interface XmlLimits {
  /** Deepest element nesting. */
  depth: number;
  elements: number;
  /** Attributes, namespace declarations included. */
  attributes: number;
  namespaces: number;
}

/** The registry's defaults, for callers that parse without the server's settings (tests, clients). */
export const DEFAULT_XML_LIMITS: XmlLimits = { depth: 64, elements: 50_000, attributes: 10_000, namespaces: 200 };

export class XmlParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlParseError';
  }
}

/** A body refused for its shape; the message names the configuration key that bounds it. */
export class XmlLimitError extends XmlParseError {
  constructor(
    readonly limit: keyof XmlLimits,
    readonly bound: number,
  ) {
    super(`the XML body exceeds ${bound} ${WHAT[limit]} (davmesh.limits.xml.${limit})`);
    this.name = 'XmlLimitError';
  }
}

const WHAT: Record<keyof XmlLimits, string> = {
  depth: 'levels of element nesting',
  elements: 'elements',
  attributes: 'attributes',
  namespaces: 'namespace declarations',
};

/**
 * Characters XML 1.0 (2.2 Char) does not allow, written raw; references to them are
 * refused by sax itself. PostgreSQL cannot store U+0000 at all.
 */
const FORBIDDEN_CHARACTER = /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A strict sax parser whose every event is refused or ignored until the caller sets its own. */
export function strictSax(xmlns: boolean): SAXParser {
  const sax = saxParser(true, { xmlns, trim: false, normalize: false });
  const ignore = () => undefined;
  const refuseDeclarations = () => {
    throw new XmlParseError('DTDs and entity declarations are not accepted');
  };
  sax.ondoctype = refuseDeclarations;
  sax.onsgmldeclaration = refuseDeclarations;
  sax.onopentagstart = ignore;
  sax.onopentag = ignore;
  sax.onclosetag = ignore;
  sax.onattribute = ignore;
  sax.ontext = ignore;
  sax.oncdata = ignore;
  sax.onend = ignore;
  sax.onerror = (error) => {
    throw new XmlParseError(`malformed XML: ${error.message.split('\n')[0]}`);
  };
  return sax;
}

/** Counts a body's shape as it is read, refusing it at the first limit passed. */
export class XmlShape {
  private depth = 0;
  private elements = 0;
  private attributes = 0;
  private namespaces = 0;

  constructor(private readonly limits: XmlLimits) {}

  opened(): void {
    this.depth += 1;
    this.elements += 1;
    if (this.depth > this.limits.depth) throw new XmlLimitError('depth', this.limits.depth);
    if (this.elements > this.limits.elements) throw new XmlLimitError('elements', this.limits.elements);
  }

  closed(): void {
    this.depth -= 1;
  }

  attribute(name: string): void {
    this.attributes += 1;
    if (this.attributes > this.limits.attributes) throw new XmlLimitError('attributes', this.limits.attributes);
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      this.namespaces += 1;
      if (this.namespaces > this.limits.namespaces) throw new XmlLimitError('namespaces', this.limits.namespaces);
    }
  }
}

/** Refuses a body with a character XML 1.0 does not allow; the body without its byte order mark. */
export function xmlText(text: string): string {
  const forbidden = FORBIDDEN_CHARACTER.exec(text);
  if (forbidden) {
    const code = forbidden[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new XmlParseError(`the XML body holds U+${code}, a character XML does not allow`);
  }
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/**
 * Checks a body against the limits in one linear pass without namespace processing, where
 * sax reports each attribute as it reads it. In namespace mode sax compares each attribute
 * with the element's others before reporting any, so 60,000 attributes take seconds there;
 * parseXml runs this pass first when a body may hold more attributes than the limit.
 * Like the namespace pass, it refuses any DTD or markup declaration, wherever and however
 * written: no entity is ever declared, expanded or fetched. `text` has passed `xmlText`.
 */
export function scanXml(text: string, limits: XmlLimits): void {
  const sax = strictSax(false);
  const shape = new XmlShape(limits);
  sax.onopentagstart = () => shape.opened();
  sax.onclosetag = () => shape.closed();
  sax.onattribute = ({ name }) => shape.attribute(name);
  sax.write(text).close();
}
