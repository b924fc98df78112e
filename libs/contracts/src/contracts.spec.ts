import { ALL_CONTRACTS, ADMIN_SUBJECTS } from './registry';
import { Authenticate, UsersAdd } from './directory.contract';
import { CALENDAR_DATA_MAX_NAMES, CalendarObjectsGet, type CalendarDataComp } from './calendar.contract';
import { defineRequest } from './contract';
import { fail, isReply, ok } from './reply';
import { z } from 'zod';

describe('bus contracts', () => {
  it('gives every subject a service, a version and no duplicate', () => {
    const subjects = [...ALL_CONTRACTS.requests, ...ALL_CONTRACTS.events].map((c) => c.subject);
    expect(new Set(subjects).size).toBe(subjects.length);
    for (const subject of subjects) expect(subject).toMatch(/^(config|calendar|contacts)\.v\d+\./);
    for (const request of ALL_CONTRACTS.requests) expect(request.subject.startsWith(`${request.service}.`)).toBe(true);
  });

  it('refuses a subject without a version', () => {
    expect(() => defineRequest('config.users.add', z.object({}))).toThrow(/not <service>\.v<N>/);
  });

  it('rejects a user with a login containing a colon, which Basic auth could not carry', () => {
    expect(UsersAdd.request.safeParse({ login: 'a:b', password: 'x', contextId: 1 }).success).toBe(false);
    expect(UsersAdd.request.safeParse({ login: 'anna', password: 'x', contextId: 1 }).success).toBe(true);
  });

  it('rejects unknown fields instead of ignoring them', () => {
    expect(Authenticate.request.safeParse({ login: 'a', password: 'b', admin: true }).success).toBe(false);
  });

  it('bounds a calendar-data selection: VCALENDAR at the top, comps four deep, a limited number of names', () => {
    const get = (select: CalendarDataComp) => CalendarObjectsGet.request.safeParse({ userId: 1, folderId: 1, names: ['a.ics'], select }).success;
    const alarm = { name: 'VALARM', props: [{ name: 'TRIGGER', novalue: true }] };
    expect(get({ name: 'VCALENDAR', props: 'all', comps: [{ name: 'VEVENT', comps: [alarm] }, { name: 'VTIMEZONE' }] })).toBe(true);
    expect(get({ name: 'VEVENT', props: 'all' })).toBe(false);
    expect(get({ name: 'VCALENDAR', comps: [{ name: 'VEVENT', comps: [{ name: 'PARTICIPANT', comps: [{ name: 'VLOCATION', comps: 'all' }] }] }] })).toBe(true);
    expect(get({ name: 'VCALENDAR', comps: [{ name: 'VEVENT', comps: [{ name: 'PARTICIPANT', comps: [{ name: 'VLOCATION', comps: [alarm] }] }] }] })).toBe(false);
    const props = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `X-P${i}` }));
    expect(get({ name: 'VCALENDAR', comps: [{ name: 'VEVENT', props: props(CALENDAR_DATA_MAX_NAMES - 2) }] })).toBe(true);
    expect(get({ name: 'VCALENDAR', comps: [{ name: 'VEVENT', props: props(CALENDAR_DATA_MAX_NAMES - 1) }] })).toBe(false);
    expect(get({ name: 'VCALENDAR', props: [{ name: 'X;Y' }] })).toBe(false);
  });

  it('offers the control socket the config service and only the contacts and calendar subjects the folder and imip commands need', () => {
    expect(ADMIN_SUBJECTS.has(UsersAdd.subject)).toBe(true);
    expect([...ADMIN_SUBJECTS].filter((s) => !s.startsWith('config.v1.')).sort()).toEqual([
      'calendar.v1.admin.folders.share',
      'calendar.v1.folders.list',
      'calendar.v1.imip.outgoing.list',
      'calendar.v1.imip.receive',
      'contacts.v1.admin.folders.share',
      'contacts.v1.folders.list',
    ]);
  });

  it('marks the reads behind GET, HEAD, PROPFIND and REPORT idempotent, and no request that changes anything', () => {
    const idempotent = new Set(ALL_CONTRACTS.requests.filter((c) => c.idempotent).map((c) => c.subject));
    for (const read of ['calendar.v1.objects.get', 'calendar.v1.objects.list', 'calendar.v1.objects.query', 'calendar.v1.sync.changes', 'calendar.v1.folders.list', 'contacts.v1.objects.get', 'contacts.v1.objects.query', 'config.v1.resolve', 'config.v1.directory.authenticate']) {
      expect(idempotent).toContain(read);
    }
    const writes = /\.(add|create|update|delete|move|put|share|set|unset|set-password|set-enabled)$/;
    expect([...idempotent].filter((subject) => writes.test(subject))).toEqual([]);
    expect(defineRequest('config.v1.test.some-write', z.object({})).idempotent).toBe(false);
  });

  it('recognises reply values', () => {
    expect(isReply(ok(1))).toBe(true);
    expect(isReply(fail('not-found', 'x'))).toBe(true);
    expect(isReply({ ok: false })).toBe(false);
    expect(isReply({ response: 1 })).toBe(false);
  });
});
