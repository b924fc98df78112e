import { describeFaultUnderLoad, expectNoHarm } from '@davmesh/testing';

const CLIENTS = 6;

describeFaultUnderLoad(
  'cluster under load: NATS restarted',
  (cluster) => cluster.nats.restart(),
  (run) => {
    it('loses no acknowledged write and answers no 500', () => {
      expectNoHarm(run());
      expect(run().summary.noAnswer).toEqual([]);
    });

    it('reports no stored write as failed, but for the replies NATS lost with the writes in flight', () => {
      // The transactional outbox keeps a commit from waiting on NATS; a reply lost with the connection
      // still times out as 503 at the edge, so at most one write per client can be stored but failed.
      expect(run().verification.storedButReportedFailed.length).toBeLessThanOrEqual(CLIENTS);
    });

    it('recovers with every process reconnected by itself', () => {
      expect(run().cluster.processes.every((p) => p.running && p.starts === 1)).toBe(true);
    });
  },
  { clients: CLIENTS },
);
