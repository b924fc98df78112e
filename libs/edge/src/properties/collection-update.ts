import { type IncomingMessage } from 'node:http';
import {
  dav,
  el,
  NS,
  propertyInstructions,
  propertyUpdatePropstats,
  propstatNodes,
  readPropertyUpdate,
  renderDocument,
  sameName,
  XmlParseError,
  type PropertyUpdate,
  type QName,
} from '@davmesh/dav';
import { type ServerSettings } from '../config/server-settings.service';
import { DavHttpError } from '../http/dav-exchange';
import { readXmlBody, xmlBodyLimits } from '../http/request-body';
import { type ResourceKind } from '../resources/resource';
import { type CollectionChange } from './property';
import { type PropertyRegistry } from './property-registry';

/** Namespaces the specifications own: a name there that is not live is refused, never stored as dead. */
const OWNED_NAMESPACES = new Set<string>([NS.DAV, NS.CALDAV, NS.CARDDAV]);

export interface CollectionUpdate extends PropertyUpdate<CollectionChange> {
  /** The live changes merged in document order. */
  change: CollectionChange;
}

/**
 * The one property-update reader of PROPPATCH (`creating` false), extended MKCOL and MKCALENDAR
 * (true) on a collection of `kind`, over the property registry. PROPPATCH needs a body; an
 * empty one creates a collection with no properties set.
 */
export async function readCollectionUpdate(
  request: IncomingMessage,
  settings: ServerSettings,
  registry: PropertyRegistry,
  target: { kind: ResourceKind; root: QName; creating: boolean },
): Promise<CollectionUpdate> {
  const body = await readXmlBody(request, xmlBodyLimits(settings), target.root);
  if (!body && !target.creating) throw new XmlParseError('PROPPATCH needs a DAV:propertyupdate body');
  const update = readPropertyUpdate<CollectionChange>(
    propertyInstructions(body),
    (name) => {
      const live = registry.find(name, target.kind);
      const setter = target.creating ? (live?.initial ?? live?.set) : live?.set;
      if (setter) return setter;
      return live || registry.isLive(name) || OWNED_NAMESPACES.has(name.ns) ? 'protected' : undefined;
    },
    settings.limits['davmesh.limits.deadPropertyBytes'],
  );
  return { ...update, change: Object.assign({}, ...update.changes) as CollectionChange };
}

/**
 * RFC 5689 3.3 DAV:valid-resourcetype of an extended MKCOL: no DAV:resourcetype the collection's
 * kind refuses (its `initial` setter) and, when `required`, one it took.
 */
export function validResourcetype(update: CollectionUpdate, required: boolean): boolean {
  const resourcetype = (name: QName) => sameName(name, dav('resourcetype'));
  if (update.refused.some((refusal) => resourcetype(refusal.name))) return false;
  return !required || update.accepted.some(resourcetype);
}

/** RFC 5689 3.3 / RFC 4791 5.3.1: a creation with a refused property makes nothing and says which, in `response`. */
export function refuseCreation(update: CollectionUpdate, response: QName): DavHttpError | undefined {
  if (update.refused.length === 0) return undefined;
  return new DavHttpError(403, 'a property of the new collection cannot be set', renderDocument(el(response, propstatNodes(propertyUpdatePropstats(update)))));
}
