import { type QName } from './names';
import { type XmlContent } from './xml-writer';

/** A dead property ready to render; stored values come back as `{ raw }` markup (see `innerXml`). */
export interface DeadPropertyValue {
  name: QName;
  value: XmlContent;
}
