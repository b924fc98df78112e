import { WINDOWS_TO_IANA_MAP } from 'windows-iana';
import { vcalendar, vevent } from '@davmesh/testing';
import ICAL from './ical-module';
import { expandCalendarData } from './calendar-data';
import { parseVcalendar } from './calendar-object';
import { ianaZoneFor } from './zone-definitions';

describe('time zones of calendar objects', () => {
  it("resolves every Windows zone name of CLDR's windowsZones to an IANA zone the platform knows", () => {
    const windowsNames = [...new Set((WINDOWS_TO_IANA_MAP as readonly { windowsName: string }[]).map((entry) => entry.windowsName))];
    expect(windowsNames.length).toBeGreaterThan(130);
    const unresolved = windowsNames.filter((name) => ianaZoneFor(name) === undefined);
    expect(unresolved).toEqual([]);
    expect(ianaZoneFor('Romance Standard Time')).toBe('Europe/Paris');
    expect(ianaZoneFor('Tokyo Standard Time')).toBe('Asia/Tokyo');
  });

  it("never registers an object's zones process-wide: a second object's bare TZID gets IANA rules", () => {
    const registered = (tzid: string) => ICAL.TimezoneService.has(tzid);
    const fake = ['BEGIN:VTIMEZONE', 'TZID:Asia/Tokyo', 'BEGIN:STANDARD', 'DTSTART:19700101T000000', 'TZOFFSETFROM:-1100', 'TZOFFSETTO:-1100', 'END:STANDARD', 'END:VTIMEZONE'];
    const own = vcalendar(...fake, ...vevent('own', 'DTSTART;TZID=Asia/Tokyo:20260105T100000', 'DURATION:PT1H'));
    const bare = vcalendar(...vevent('bare', 'DTSTART;TZID=Asia/Tokyo:20260105T100000', 'DURATION:PT1H'));
    const range = [Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 10)] as const;
    expect(expandCalendarData(parseVcalendar(own), ...range)).toContain('DTSTART:20260105T210000Z');
    expect(registered('Asia/Tokyo')).toBe(false);
    expect(expandCalendarData(parseVcalendar(bare), ...range)).toContain('DTSTART:20260105T010000Z');
  });
});
