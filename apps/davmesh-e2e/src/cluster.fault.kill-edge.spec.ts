import { describeFaultUnderLoad, expectNoHarm } from '@davmesh/testing';

let killedUrl: string | undefined;

describeFaultUnderLoad(
  'cluster under load: kill -9 of an edge',
  async (cluster) => {
    killedUrl = cluster.process('edge-1').url;
    await cluster.process('edge-1').kill();
  },
  (run) => {
    it('loses no acknowledged write and answers no 500', () => {
      expectNoHarm(run());
      expect(run().verification.storedButReportedFailed).toEqual([]);
    });

    it('leaves unanswered only what the dead edge had in hand (a cut connection reports nothing); the other edge serves on', () => {
      expect(run().summary.noAnswer.filter((r) => r.edge !== killedUrl)).toEqual([]);
      expect(run().summary.failedReads).toEqual([]);
      expect(run().cluster.edgeUrls()).toHaveLength(1);
    });
  },
);
