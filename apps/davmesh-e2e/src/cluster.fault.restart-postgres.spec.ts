import { CalendarHealth } from '@davmesh/contracts';
import { basicAuth, describeFaultUnderLoad, eventually, expectNoHarm } from '@davmesh/testing';

describeFaultUnderLoad(
  'cluster under load: PostgreSQL restarted (pg_ctl restart -m immediate)',
  (cluster) => cluster.postgres.restart(),
  (run) => {
    it('answers 503 with Retry-After, never 500, and loses no acknowledged write', () => {
      expectNoHarm(run());
      expect(run().summary.noAnswer).toEqual([]);
    });

    it('logs the outage once per service process, not a handler failure with a stack per request', () => {
      const logs = run().cluster.logs();
      expect(logs.filter((l) => l.msg === 'request handler failed' || l.msg === 'request failed')).toEqual([]);
      const told = logs.filter((l) => l.outage === 'database unavailable' && l.repeated === undefined);
      expect(told.length).toBeGreaterThanOrEqual(1);
      expect(new Set(told.map((l) => l.process)).size).toBe(told.length);
    });

    it('recovers with nothing restarted', () => {
      expect(run().cluster.processes.every((p) => p.running && p.starts === 1)).toBe(true);
    });

    it("says so in the services' health while the database is down, and recovers by itself", async () => {
      const { cluster } = run();
      const edge = cluster.edgeUrls()[0];
      const authorization = basicAuth('loader', 'loader-pw');
      const put = (name: string) =>
        fetch(`${edge}/dav/caldav/health-check/${name}.ics`, {
          method: 'PUT',
          headers: { Authorization: authorization, 'Content-Type': 'text/calendar; charset=utf-8' },
          body: ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', 'BEGIN:VEVENT', `UID:${name}`, 'DTSTAMP:20260101T000000Z', 'DTSTART:20270101T100000Z', 'SUMMARY:x', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n'),
        });
      expect((await fetch(`${edge}/dav/caldav/health-check/`, { method: 'MKCALENDAR', headers: { Authorization: authorization } })).status).toBe(201);
      await cluster.postgres.crash();
      try {
        expect(await cluster.bus.request(CalendarHealth, {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
        const refused = await put('during-outage');
        expect(refused.status).toBe(503);
        expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      } finally {
        await cluster.postgres.recover();
      }
      await eventually(async () => expect((await cluster.bus.request(CalendarHealth, {})).ok).toBe(true), 30_000);
      await eventually(async () => expect((await put('after-outage')).status).toBe(201), 30_000);
    }, 120_000);
  },
);
