import { describeFaultUnderLoad, expectNoHarm } from '@davmesh/testing';

/** Longer than the edge's bus timeout (5 s): writes in flight as NATS goes cannot be answered within one try. */
const OUTAGE_MS = 7000;

describeFaultUnderLoad(
  `cluster under load: NATS down for ${OUTAGE_MS / 1000} s`,
  (cluster) => cluster.nats.restart(() => new Promise((resolve) => setTimeout(resolve, OUTAGE_MS))),
  (run) => {
    it('loses no acknowledged write and answers no 500', () => {
      expectNoHarm(run());
      expect(run().summary.noAnswer).toEqual([]);
    });

    it('reports no stored write as failed: the edge asks again under the write key, the service answers what it stored', () => {
      expect(run().verification.storedButReportedFailed).toEqual([]);
    });

    it('logs the outage as a warning, no error line in any process', () => {
      expect(run().cluster.errorLogs()).toEqual([]);
    });

    it('recovers with every process reconnected by itself', () => {
      expect(run().cluster.processes.every((p) => p.running && p.starts === 1)).toBe(true);
    });
  },
);
