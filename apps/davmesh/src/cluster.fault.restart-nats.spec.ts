import { describeFaultUnderLoad, expectNoHarm } from '@davmesh/testing';

describeFaultUnderLoad(
  'cluster under load: NATS restarted',
  (cluster) => cluster.nats.restart(),
  (run) => {
    it('loses no acknowledged write and answers no 500', () => {
      expectNoHarm(run());
      expect(run().summary.noAnswer).toEqual([]);
      // Writes committed while NATS was down but answered 503 (issue 11 item 4) are counted in the
      // printed line until the transactional outbox lands; then this asserts none.
    });

    it('recovers with every process reconnected by itself', () => {
      expect(run().cluster.processes.every((p) => p.running && p.starts === 1)).toBe(true);
    });
  },
);
