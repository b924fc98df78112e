import { type DeadProperty } from '@davmesh/contracts';
import { type Propstat } from './multistatus';
import { Condition } from './conditions';
import { dav, qnameKey, sameName, type QName } from './names';
import { childrenNamed, type XmlElement } from './xml-parse';
import { outerXml } from './xml-writer';

/** One DAV:set or DAV:remove of one property (PROPPATCH, extended MKCOL, MKCALENDAR). */
export interface PropertyInstruction {
  name: QName;
  /** The property element of a DAV:set; undefined for a DAV:remove. */
  value?: XmlElement;
}

/** The typed body of a PROPPATCH (DAV:propertyupdate), an extended MKCOL or a MKCALENDAR: its instructions in document order. */
export function propertyInstructions(root: XmlElement | undefined): PropertyInstruction[] {
  return (root?.children ?? []).flatMap((instruction) => {
    const remove = sameName(instruction.name, dav('remove'));
    if (!remove && !sameName(instruction.name, dav('set'))) return [];
    const props = childrenNamed(instruction, dav('prop')).flatMap((prop) => prop.children);
    return props.map((value) => (remove ? { name: value.name } : { name: value.name, value }));
  });
}

/** What a live property's setter answers: the change to make, or the status refusing the value. */
export type PropertyWrite<Change> = { change: Change } | { refused: 403 | 409 };

/** How a resource takes one property: a setter (live), `protected` (live, or a name the specifications own), undefined (dead). */
export type PropertySetter<Change> = ((value: XmlElement | undefined) => PropertyWrite<Change>) | 'protected' | undefined;

export interface PropertyRefusal {
  name: QName;
  status: 403 | 409 | 507;
  error?: QName;
}

/** A property update decided before anything is stored. */
export interface PropertyUpdate<Change> {
  /** Changes of live properties in document order: applied in turn, a later one wins. */
  changes: Change[];
  setDead: DeadProperty[];
  removeDead: { ns: string; name: string }[];
  /** Properties that will change if nothing is refused. */
  accepted: QName[];
  refused: PropertyRefusal[];
}

const PROTECTED = Condition.CannotModifyProtectedProperty;

/**
 * RFC 4918 9.2: the instructions in document order, all or nothing. A protected property is
 * refused 403 with DAV:cannot-modify-protected-property; a live one is set by its setter; any
 * other is dead, kept as written (outerXml) up to `deadPropertyBytes` (507 beyond, 9.2.1).
 * A later instruction on a dead property replaces an earlier one, so a store applying sets
 * and removes in any order ends as the document does.
 */
export function readPropertyUpdate<Change>(
  instructions: PropertyInstruction[],
  setterFor: (name: QName) => PropertySetter<Change>,
  deadPropertyBytes: number,
): PropertyUpdate<Change> {
  const update: PropertyUpdate<Change> = { changes: [], setDead: [], removeDead: [], accepted: [], refused: [] };
  const dead = new Map<string, DeadProperty | { ns: string; name: string }>();
  // A property named twice is listed once in the answer.
  const acceptedKeys = new Set<string>();
  const accept = (name: QName) => {
    if (acceptedKeys.has(qnameKey(name))) return;
    acceptedKeys.add(qnameKey(name));
    update.accepted.push(name);
  };
  for (const { name, value } of instructions) {
    const setter = setterFor(name);
    if (setter === 'protected') {
      update.refused.push({ name, status: 403, error: PROTECTED });
    } else if (setter) {
      const write = setter(value);
      if ('refused' in write) update.refused.push({ name, status: write.refused });
      else {
        update.changes.push(write.change);
        accept(name);
      }
    } else if (value === undefined) {
      dead.set(qnameKey(name), { ns: name.ns, name: name.local });
      accept(name);
    } else {
      const xml = outerXml(value);
      if (Buffer.byteLength(xml) > deadPropertyBytes) update.refused.push({ name, status: 507 });
      else {
        dead.set(qnameKey(name), { ns: name.ns, name: name.local, xml });
        accept(name);
      }
    }
  }
  for (const property of dead.values()) {
    if ('xml' in property) update.setDead.push(property);
    else update.removeDead.push(property);
  }
  return update;
}

/** RFC 4918 9.2.1: the refused properties with their status, the others 424 (failed dependency); all 200 when nothing was refused. */
export function propertyUpdatePropstats(update: PropertyUpdate<unknown>): Propstat[] {
  const refusals = new Map<string, Propstat>();
  for (const { name, status, error } of update.refused) {
    const key = `${status}${error ? qnameKey(error) : ''}`;
    const propstat = refusals.get(key) ?? { status, props: [], ...(error ? { error } : {}) };
    propstat.props.push({ name });
    refusals.set(key, propstat);
  }
  return [{ status: update.refused.length > 0 ? 424 : 200, props: update.accepted.map((name) => ({ name })) }, ...refusals.values()];
}
