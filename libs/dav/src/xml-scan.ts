import { Parser } from 'xml2js';

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

/** The events of sax's SAXParser that the scan listens to (sax ships no types of its own here). */
interface SaxScanner {
  onopentagstart: () => void;
  onopentag: () => void;
  onclosetag: () => void;
  onattribute: (attribute: { name: string }) => void;
  ontext: () => void;
  oncdata: () => void;
  ondoctype: () => void;
  onsgmldeclaration: () => void;
  onerror: (error: Error) => void;
  onend: () => void;
  write(text: string): SaxScanner;
  close(): SaxScanner;
}

/**
 * Checks a body against the limits in one linear pass, before the tree is built: xml2js
 * parses with sax in namespace mode, where each attribute costs a scan of the element's
 * others, so 60,000 attributes take seconds. This pass runs the same sax parser without
 * namespace processing (attributes are reported as read) and stops at the first limit
 * passed. It also refuses any DTD or markup declaration, wherever and however written:
 * no entity is ever declared, expanded or fetched.
 */
export function scanXml(text: string, limits: XmlLimits): void {
  const forbidden = FORBIDDEN_CHARACTER.exec(text);
  if (forbidden) {
    const code = forbidden[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new XmlParseError(`the XML body holds U+${code}, a character XML does not allow`);
  }
  // xml2js builds its sax parser with our options; every handler is replaced below.
  const sax = (new Parser({ strict: true, xmlns: false }) as unknown as { saxParser: SaxScanner }).saxParser;
  let depth = 0;
  let elements = 0;
  let attributes = 0;
  let namespaces = 0;
  const ignore = () => undefined;
  sax.onopentagstart = () => {
    depth += 1;
    elements += 1;
    if (depth > limits.depth) throw new XmlLimitError('depth', limits.depth);
    if (elements > limits.elements) throw new XmlLimitError('elements', limits.elements);
  };
  sax.onclosetag = () => {
    depth -= 1;
  };
  sax.onattribute = ({ name }) => {
    attributes += 1;
    if (attributes > limits.attributes) throw new XmlLimitError('attributes', limits.attributes);
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      namespaces += 1;
      if (namespaces > limits.namespaces) throw new XmlLimitError('namespaces', limits.namespaces);
    }
  };
  const refuseDeclarations = () => {
    throw new XmlParseError('DTDs and entity declarations are not accepted');
  };
  sax.ondoctype = refuseDeclarations;
  sax.onsgmldeclaration = refuseDeclarations;
  sax.onopentag = ignore;
  sax.ontext = ignore;
  sax.oncdata = ignore;
  sax.onend = ignore;
  sax.onerror = (error) => {
    throw new XmlParseError(`malformed XML: ${error.message.split('\n')[0]}`);
  };
  sax.write(text.startsWith('\uFEFF') ? text.slice(1) : text).close();
}
