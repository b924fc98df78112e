import { parseXml } from '@davmesh/dav';
import { DavHttpError } from '../http/dav-exchange';
import { calendarReportProps, parseCalendarFilter } from './calendar-query-request';

const C = 'urn:ietf:params:xml:ns:caldav';
const parse = (xml: string) => parseXml(xml);

async function filterOf(inner: string) {
  const body = await parse(`<C:calendar-query xmlns:D="DAV:" xmlns:C="${C}"><D:prop><D:getetag/></D:prop><C:filter>${inner}</C:filter></C:calendar-query>`);
  return parseCalendarFilter(body.children.find((c) => c.name.local === 'filter'));
}

async function refusal(inner: string): Promise<string> {
  try {
    await filterOf(inner);
  } catch (error) {
    if (error instanceof DavHttpError) return `${error.status} ${error.body}`;
  }
  throw new Error('expected a refusal');
}

describe('calendar-query filters (RFC 4791 9.7) as the contract JSON', () => {
  it('RFC 4791 7.8.1: events overlapping a time range', async () => {
    expect(
      await filterOf(`<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
        <C:time-range start="20060104T000000Z" end="20060105T000000Z"/></C:comp-filter></C:comp-filter>`),
    ).toEqual({
      name: 'VCALENDAR',
      compFilters: [{ name: 'VEVENT', timeRange: { start: '2006-01-04T00:00:00.000Z', end: '2006-01-05T00:00:00.000Z' } }],
    });
  });

  it('RFC 4791 7.8.6 and 7.8.7: prop-filter with text-match, param-filter and an open-ended range', async () => {
    expect(
      await filterOf(`<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
        <C:prop-filter name="ATTENDEE"><C:text-match collation="i;ascii-casemap">mailto:lisa@example.com</C:text-match>
          <C:param-filter name="PARTSTAT"><C:text-match collation="i;octet" negate-condition="yes">NEEDS-ACTION</C:text-match></C:param-filter>
        </C:prop-filter>
        <C:prop-filter name="dtstart"><C:time-range start="20060104T000000Z"/></C:prop-filter>
      </C:comp-filter></C:comp-filter>`),
    ).toEqual({
      name: 'VCALENDAR',
      compFilters: [
        {
          name: 'VEVENT',
          propFilters: [
            {
              name: 'ATTENDEE',
              textMatch: { value: 'mailto:lisa@example.com', collation: 'i;ascii-casemap', negate: false, matchType: 'contains' },
              paramFilters: [{ name: 'PARTSTAT', textMatch: { value: 'NEEDS-ACTION', collation: 'i;octet', negate: true, matchType: 'contains' } }],
            },
            { name: 'DTSTART', timeRange: { start: '2006-01-04T00:00:00.000Z' } },
          ],
        },
      ],
    });
  });

  it('RFC 4791 7.8.9: is-not-defined; the default collation is i;ascii-casemap', async () => {
    expect(
      await filterOf(`<C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO">
        <C:prop-filter name="COMPLETED"><C:is-not-defined/></C:prop-filter>
        <C:prop-filter name="SUMMARY"><C:text-match>Review</C:text-match></C:prop-filter>
        <C:comp-filter name="VALARM"><C:is-not-defined/></C:comp-filter>
      </C:comp-filter></C:comp-filter>`),
    ).toEqual({
      name: 'VCALENDAR',
      compFilters: [
        {
          name: 'VTODO',
          propFilters: [
            { name: 'COMPLETED', isNotDefined: true },
            { name: 'SUMMARY', textMatch: { value: 'Review', collation: 'i;ascii-casemap', negate: false, matchType: 'contains' } },
          ],
          compFilters: [{ name: 'VALARM', isNotDefined: true }],
        },
      ],
    });
  });

  it('refuses a filter whose top is not VCALENDAR, a bad date-time, and an unknown collation', async () => {
    expect(await refusal('<C:comp-filter name="VEVENT"/>')).toMatch(/^403 .*valid-filter/s);
    expect(await refusal('<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="2006-01-04"/></C:comp-filter></C:comp-filter>')).toMatch(
      /valid-filter/,
    );
    expect(
      await refusal('<C:comp-filter name="VCALENDAR"><C:prop-filter name="X"><C:text-match collation="i;klingon">a</C:text-match></C:prop-filter></C:comp-filter>'),
    ).toMatch(/supported-collation/);
  });

  it('reads calendar-data with expand and limit-recurrence-set', async () => {
    const body = await parse(`<C:calendar-query xmlns:D="DAV:" xmlns:C="${C}"><D:prop><D:getetag/>
      <C:calendar-data><C:expand start="20060103T000000Z" end="20060105T000000Z"/>
      <C:limit-recurrence-set start="20060101T000000Z" end="20060201T000000Z"/></C:calendar-data></D:prop></C:calendar-query>`);
    const { calendarData, wantsData, propfind } = calendarReportProps(body);
    expect(wantsData).toBe(true);
    expect(propfind).toEqual({ kind: 'prop', props: [{ ns: 'DAV:', local: 'getetag' }, { ns: C, local: 'calendar-data' }] });
    expect(calendarData).toEqual({
      expand: { start: '2006-01-03T00:00:00.000Z', end: '2006-01-05T00:00:00.000Z' },
      limitRecurrenceSet: { start: '2006-01-01T00:00:00.000Z', end: '2006-02-01T00:00:00.000Z' },
    });
  });

  describe('calendar-data comp and prop (RFC 4791 9.6.1-9.6.4)', () => {
    const propsOf = async (calendarData: string) =>
      calendarReportProps(await parse(`<C:calendar-query xmlns:D="DAV:" xmlns:C="${C}"><D:prop>${calendarData}</D:prop></C:calendar-query>`));
    const refusalOf = async (calendarData: string): Promise<string> => {
      try {
        await propsOf(calendarData);
      } catch (error) {
        if (error instanceof DavHttpError) return `${error.status} ${error.body ?? error.message}`;
      }
      throw new Error('expected a refusal');
    };

    it('reads the selection of RFC 4791 7.8.1 with allprop, allcomp and novalue', async () => {
      const { calendarData } = await propsOf(`<C:calendar-data><C:comp name="VCALENDAR"><C:prop name="VERSION"/>
        <C:comp name="vevent"><C:prop name="SUMMARY" novalue="yes"/><C:prop name="UID" novalue="no"/><C:allcomp/></C:comp>
        <C:comp name="VTODO"><C:allprop/><C:comp name="VALARM"/></C:comp><C:comp name="VTIMEZONE"/></C:comp></C:calendar-data>`);
      expect(calendarData).toEqual({
        select: {
          name: 'VCALENDAR',
          props: [{ name: 'VERSION' }],
          comps: [
            { name: 'VEVENT', props: [{ name: 'SUMMARY', novalue: true }, { name: 'UID' }], comps: 'all' },
            { name: 'VTODO', props: 'all', comps: [{ name: 'VALARM' }] },
            { name: 'VTIMEZONE' },
          ],
        },
      });
    });

    it('takes text/calendar 2.0, stated or not, and refuses other media types with supported-calendar-data', async () => {
      expect((await propsOf('<C:calendar-data content-type="text/calendar" version="2.0"/>')).wantsData).toBe(true);
      expect(await refusalOf('<C:calendar-data content-type="application/calendar+json"/>')).toMatch(/^403 .*<cal:supported-calendar-data\/>/s);
      expect(await refusalOf('<C:calendar-data content-type="text/calendar" version="1.0"/>')).toMatch(/^403 .*supported-calendar-data/s);
    });

    it('refuses a malformed selection with 400', async () => {
      expect(await refusalOf('<C:calendar-data><C:comp name="VEVENT"/></C:calendar-data>')).toMatch(/^400 the top comp/);
      expect(await refusalOf('<C:calendar-data><C:comp name="VCALENDAR"><C:prop/></C:comp></C:calendar-data>')).toMatch(/^400 .*needs an iCalendar name/);
      expect(await refusalOf('<C:calendar-data><C:comp name="VCALENDAR"><C:allprop/><C:prop name="VERSION"/></C:comp></C:calendar-data>')).toMatch(/^400 .*not both/);
      const deep = '<C:comp name="VCALENDAR"><C:comp name="VEVENT"><C:comp name="PARTICIPANT"><C:comp name="VLOCATION"><C:comp name="X-DEEPER"/></C:comp></C:comp></C:comp></C:comp>';
      expect(await refusalOf(`<C:calendar-data>${deep}</C:calendar-data>`)).toMatch(/^400 .*at most 4 deep/);
      const many = Array.from({ length: 300 }, (_, i) => `<C:prop name="X-P${i}"/>`).join('');
      expect(await refusalOf(`<C:calendar-data><C:comp name="VCALENDAR">${many}</C:comp></C:calendar-data>`)).toMatch(/^400 .*at most 256/);
    });
  });
});
