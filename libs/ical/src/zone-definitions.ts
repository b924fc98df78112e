import { findIana } from 'windows-iana';
import ICAL, { type IcalComponent } from './ical-module';
import { ZoneDefinitionCache } from './zone-texts';

/** Years for which a generated zone carries its transitions. */
const FIRST_YEAR = 1970;
const LAST_YEAR = 2070;
const HOUR = 3600_000;

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** No IANA or Windows zone name is longer; longer TZIDs are nobody's zone. */
const LONGEST_ZONE_NAME = 128;

/**
 * The IANA zone a TZID names, as the platform spells it: itself, a Windows name (CLDR's
 * windowsZones, territory 001), a Mozilla-prefixed name, or undefined when unknown.
 */
export function ianaZoneFor(tzid: string): string | undefined {
  if (tzid.length > LONGEST_ZONE_NAME) return undefined;
  const candidate = findIana(tzid)[0] ?? tzid.replace(/^\/(mozilla\.org\/[^/]+\/)?/, '');
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: candidate }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

function offsetMinutes(zone: string, at: number): number {
  let formatter = offsetFormatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    offsetFormatters.set(zone, formatter);
  }
  const name = formatter.formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/** The instants at which the zone's offset changes, found hour by hour and narrowed to the minute. */
function transitions(zone: string): { at: number; from: number; to: number }[] {
  const found: { at: number; from: number; to: number }[] = [];
  let at = Date.UTC(FIRST_YEAR, 0, 1);
  const end = Date.UTC(LAST_YEAR, 0, 1);
  let offset = offsetMinutes(zone, at);
  const step = 24 * HOUR;
  while (at < end) {
    const next = at + step;
    const nextOffset = offsetMinutes(zone, next);
    if (nextOffset !== offset) {
      let low = at;
      let high = next;
      while (high - low > 60_000) {
        const mid = low + Math.floor((high - low) / 2);
        if (offsetMinutes(zone, mid) === offset) low = mid;
        else high = mid;
      }
      found.push({ at: high, from: offset, to: nextOffset });
      offset = nextOffset;
    }
    at = next;
  }
  return found;
}

const pad = (n: number) => String(n).padStart(2, '0');
const utcOffset = (minutes: number) => `${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60))}${pad(Math.abs(minutes) % 60)}`;
function localStamp(at: number, offset: number): string {
  const d = new Date(at + offset * 60_000);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

/** A VTIMEZONE for an IANA zone, built from the platform's time-zone data, one observance per transition. */
function vtimezoneFor(tzid: string, zone: string): IcalComponent {
  const lines = ['BEGIN:VTIMEZONE', `TZID:${tzid}`];
  const changes = transitions(zone);
  const initial = offsetMinutes(zone, Date.UTC(FIRST_YEAR, 0, 1));
  lines.push('BEGIN:STANDARD', `DTSTART:${localStamp(Date.UTC(FIRST_YEAR, 0, 1), initial)}`, `TZOFFSETFROM:${utcOffset(initial)}`, `TZOFFSETTO:${utcOffset(initial)}`, 'END:STANDARD');
  for (const change of changes) {
    const kind = change.to > change.from ? 'DAYLIGHT' : 'STANDARD';
    lines.push(`BEGIN:${kind}`, `DTSTART:${localStamp(change.at, change.from)}`, `TZOFFSETFROM:${utcOffset(change.from)}`, `TZOFFSETTO:${utcOffset(change.to)}`, `END:${kind}`);
  }
  lines.push('END:VTIMEZONE');
  return new ICAL.Component(ICAL.parse(`BEGIN:VCALENDAR\r\n${lines.join('\r\n')}\r\nEND:VCALENDAR\r\n`)).getFirstSubcomponent('vtimezone')!;
}

/**
 * Zones built from the platform's data, by IANA name: the same for every user and object, so
 * shared; bounded by the number of IANA zones.
 */
const platformZones = new Map<string, InstanceType<typeof ICAL.Timezone>>();

function platformZone(zone: string): InstanceType<typeof ICAL.Timezone> {
  let timezone = platformZones.get(zone);
  if (!timezone) {
    timezone = new ICAL.Timezone({ component: vtimezoneFor(zone, zone), tzid: zone });
    platformZones.set(zone, timezone);
  }
  return timezone;
}

/**
 * Zones objects define themselves: objects that carry the same definition share one, with the
 * offsets it has worked out (working them out was most of reading a zoned time). Nothing one
 * object defines reaches another's times: another definition is another zone.
 */
const definedZones = new ZoneDefinitionCache<InstanceType<typeof ICAL.Timezone>>();

function definedZone(zone: IcalComponent, tzid: string): InstanceType<typeof ICAL.Timezone> {
  return definedZones.get(zone, () => new ICAL.Timezone({ component: zone, tzid }));
}

interface ZoneCache {
  _timezoneCache: Map<string, InstanceType<typeof ICAL.Timezone>> | null;
}

/**
 * Lets the object's TZIDs resolve inside the object alone (RFC 5545 3.6.5): its own
 * VTIMEZONEs first (ical.js finds them in the root), else the platform's rules for the
 * IANA or Windows zone the name stands for, else floating. Nothing goes into ical.js'
 * process-wide TimezoneService, so no object's zones reach another's.
 */
export function bindZones(root: IcalComponent): void {
  const cache = (root as unknown as ZoneCache)._timezoneCache;
  if (!cache) return;
  const own = new Set<string>();
  for (const zone of root.getAllSubcomponents('vtimezone')) {
    const tzid = String(zone.getFirstPropertyValue('tzid') ?? '');
    // As ical.js would: the first VTIMEZONE of a TZID is the one its times use.
    if (tzid && !own.has(tzid) && !cache.has(tzid)) cache.set(tzid, definedZone(zone, tzid));
    own.add(tzid);
  }
  for (const tzid of referencedTzids(root)) {
    if (own.has(tzid) || cache.has(tzid)) continue;
    const zone = ianaZoneFor(tzid);
    if (zone) cache.set(tzid, platformZone(zone));
  }
}

/** A component cut from `root` that still finds the root's zones when its times are read. */
export function componentWithZonesOf(root: IcalComponent, jcal: unknown): IcalComponent {
  return new ICAL.Component(jcal as unknown[], root);
}

function referencedTzids(root: IcalComponent): Set<string> {
  const tzids = new Set<string>();
  const visit = (component: IcalComponent) => {
    for (const property of component.getAllProperties()) {
      const tzid = property.getParameter('tzid');
      if (typeof tzid === 'string') tzids.add(tzid);
    }
    for (const child of component.getAllSubcomponents()) if (child.name !== 'vtimezone') visit(child);
  };
  visit(root);
  return tzids;
}
