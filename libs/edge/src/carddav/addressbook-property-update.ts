import { type DeadProperty } from '@davmesh/contracts';
import { carddav, dav, innerXml, NS, sameName, type PropValue, type XmlElement } from '@davmesh/dav';
import { type PropertyRegistry } from '../properties/property-registry';

/** What a PROPPATCH or an extended MKCOL asks of an address book, sorted into what we can do and what we refuse. */
export interface AddressbookPropertyUpdate {
  change: { displayName?: string; description?: string | null; setDead: DeadProperty[]; removeDead: { ns: string; name: string }[] };
  /** Property names that will be changed if nothing is refused. */
  accepted: PropValue[];
  /**
   * Property names refused: 403 for protected live properties, or a live one that cannot be
   * removed or emptied; 507 for a dead value over davmesh.limits.deadPropertyBytes.
   */
  refused: (PropValue & { status: 403 | 507 })[];
}

/**
 * Reads DAV:set / DAV:remove instructions in document order (RFC 4918 9.2): displayname and
 * addressbook-description change the folder, any other live property (or any DAV: or CARDDAV:
 * name) is refused, and every other property is dead: stored as given and returned as given (RFC 4918 4.2),
 * up to `deadPropertyBytes` of serialized XML each.
 * `resourcetype` in an extended MKCOL is checked by the caller and passed over here.
 */
export function readPropertyUpdate(instructions: XmlElement[], properties: PropertyRegistry, deadPropertyBytes: number): AddressbookPropertyUpdate {
  const update: AddressbookPropertyUpdate = { change: { setDead: [], removeDead: [] }, accepted: [], refused: [] };
  const { change } = update;
  for (const instruction of instructions) {
    const remove = sameName(instruction.name, dav('remove'));
    if (!remove && !sameName(instruction.name, dav('set'))) continue;
    for (const prop of instruction.children.filter((c) => sameName(c.name, dav('prop'))).flatMap((p) => p.children)) {
      const { name } = prop;
      if (sameName(name, dav('resourcetype'))) continue;
      let refusal: 403 | 507 | undefined;
      if (sameName(name, dav('displayname'))) {
        if (remove || prop.text.trim() === '') refusal = 403;
        else change.displayName = prop.text;
      } else if (sameName(name, carddav('addressbook-description'))) {
        change.description = remove ? null : prop.text;
      } else if (properties.isLive(name) || name.ns === NS.DAV || name.ns === NS.CARDDAV) {
        // A live property, or a name in a namespace the specifications own: never stored as dead.
        refusal = 403;
      } else {
        const key = (p: { ns: string; name: string }) => p.ns === name.ns && p.name === name.local;
        change.setDead = change.setDead.filter((p) => !key(p));
        change.removeDead = change.removeDead.filter((p) => !key(p));
        const xml = remove ? '' : innerXml(prop);
        // RFC 4918 9.2.1: 507 (Insufficient Storage) for a value the server will not hold.
        if (Buffer.byteLength(xml) > deadPropertyBytes) refusal = 507;
        else if (remove) change.removeDead.push({ ns: name.ns, name: name.local });
        else change.setDead.push({ ns: name.ns, name: name.local, xml });
      }
      if (refusal) update.refused.push({ name, status: refusal });
      else update.accepted.push({ name });
    }
  }
  return update;
}

/** RFC 4918 9.2.1: refused properties 403 or 507, the others 424 (failed dependency); all 200 when nothing was refused. */
export function propertyUpdateStatus(update: AddressbookPropertyUpdate): { status: number; props: PropValue[] }[] {
  const failed = update.refused.length > 0;
  const refusedWith = (status: number) => update.refused.filter((r) => r.status === status).map(({ name }) => ({ name }));
  return [
    { status: failed ? 424 : 200, props: update.accepted },
    { status: 403, props: refusedWith(403) },
    { status: 507, props: refusedWith(507) },
  ];
}
