import { describeFaultUnderLoad, expectNoHarm } from '@davmesh/testing';

describeFaultUnderLoad(
  'cluster under load: kill -9 of a calendar replica',
  (cluster) => cluster.process('calendar-1').kill(),
  (run) => {
    it('loses no acknowledged write and answers no 500', () => {
      expectNoHarm(run());
      expect(run().summary.noAnswer).toEqual([]);
    });

    it('fails no read: those the dead replica had in hand are asked again of the live one', () => {
      expect(run().summary.failedReads).toEqual([]);
    });

    it('fails no write: those the dead replica had in hand are asked again of the live one under their key', () => {
      expect(run().verification.storedButReportedFailed).toEqual([]);
      expect(run().load.records.filter((r) => r.method === 'PUT' && r.status >= 500)).toEqual([]);
    });

    it('serves on with the other replica, nothing restarted', () => {
      expect(run().cluster.process('calendar-1').running).toBe(false);
      expect(run().cluster.processes.filter((p) => p.name !== 'calendar-1').every((p) => p.running && p.starts === 1)).toBe(true);
    });
  },
);
