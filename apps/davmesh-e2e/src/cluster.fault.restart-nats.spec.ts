import { describeFaultUnderLoad, expectNoHarm } from '@davmesh/testing';

describeFaultUnderLoad(
  'cluster under load: NATS restarted',
  (cluster) => cluster.nats.restart(),
  (run) => {
    it('loses no acknowledged write and answers no 500', () => {
      expectNoHarm(run());
      expect(run().summary.noAnswer).toEqual([]);
    });

    it('reports no stored write as failed: the outbox keeps commits off NATS, lost replies are sent again', () => {
      expect(run().verification.storedButReportedFailed).toEqual([]);
    });

    it('recovers with every process reconnected by itself', () => {
      expect(run().cluster.processes.every((p) => p.running && p.starts === 1)).toBe(true);
    });
  },
);
