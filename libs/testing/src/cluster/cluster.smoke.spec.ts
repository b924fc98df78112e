import { CalendarHealth } from '@davmesh/contracts';
import { describeRequiring } from '../infrastructure';
import { Cluster, clusterPrerequisitesMissing } from './cluster';
import { DavLoad } from './dav-load';

describeRequiring('cluster harness: edges and replicas as processes on a private NATS and PostgreSQL', clusterPrerequisitesMissing(), () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await Cluster.start({ edges: 2, calendar: 2, contacts: 1, config: 1 });
    await cluster.addUser('loader', 'loader-pw');
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it('serves DAV load through both edges and both calendar replicas, and reads every acknowledged write back', async () => {
    expect(cluster.edgeUrls()).toHaveLength(2);
    const load = await DavLoad.start({ edges: () => cluster.edgeUrls(), login: 'loader', password: 'loader-pw', clients: 4 });
    const deadline = Date.now() + 60_000;
    while (load.acknowledged.size < 40 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const summary = await load.stop();
    expect(summary.acknowledgedWrites).toBeGreaterThanOrEqual(40);
    expect(new Set(load.records.map((r) => r.edge)).size).toBe(2);
    expect(summary.serverErrors).toEqual([]);
    expect(summary.noAnswer).toEqual([]);
    expect(summary.failedReads).toEqual([]);
    expect(summary.staleReads).toEqual([]);
    const verification = await load.verify();
    expect(verification.lostWrites).toEqual([]);
    const instances = new Set<string>();
    for (let i = 0; i < 20 && instances.size < 2; i++) instances.add((await cluster.bus.call(CalendarHealth, {})).instanceId);
    expect(instances.size).toBe(2);
  }, 120_000);

  it('kills a process with SIGKILL and starts it again', async () => {
    const edge = cluster.process('edge-1');
    const before = edge.url;
    await edge.kill();
    expect(edge.running).toBe(false);
    expect(cluster.edgeUrls()).toHaveLength(1);
    await edge.start();
    expect(cluster.edgeUrls()).toHaveLength(2);
    expect(edge.url).not.toBe(before);
    expect((await fetch(`${edge.url}/healthz`)).status).toBe(200);
  }, 120_000);

  it('restarts NATS and PostgreSQL under the running processes, which serve again without a restart', async () => {
    await cluster.nats.restart();
    await cluster.postgres.restart();
    const deadline = Date.now() + 60_000;
    let status = 0;
    while (Date.now() < deadline) {
      const response = await fetch(`${cluster.edgeUrls()[0]}/dav/caldav/`, {
        method: 'PROPFIND',
        headers: { Authorization: `Basic ${Buffer.from('loader:loader-pw').toString('base64')}`, Depth: '0' },
      }).catch(() => undefined);
      status = response?.status ?? 0;
      if (status === 207) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(207);
  }, 120_000);
});
