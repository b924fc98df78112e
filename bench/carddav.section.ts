import { cpus } from 'node:os';
import { benchEmbeddedDavmesh, benchTarget, type BenchRun } from './carddav.bench';
import { fmt, table, withRadicale } from './peers';
import { type BenchArgs, type BenchModule } from './run';

export const carddavBench: BenchModule = {
  name: 'carddav',
  async run(args: BenchArgs): Promise<string> {
    const runs: BenchRun[] = [];
    if (args.target) {
      if (!args.user || !args.password) throw new Error('--target needs --user and --password');
      const bookPath = args.book ?? `/${args.user}/davmesh-bench-${Date.now()}/`;
      runs.push(await benchTarget(args.contacts, { url: args.target, user: args.user, password: args.password, bookPath }, args.target));
    } else {
      runs.push(await benchEmbeddedDavmesh(args.contacts));
      runs.push(await benchEmbeddedDavmesh(args.baseline));
      if (args.radicale) {
        // At the baseline size: Radicale stores a file per contact, and 5,000 of them would not fit the run's three minutes.
        const radicale = await withRadicale((url) =>
          benchTarget(args.baseline, { url, user: 'bench', password: 'bench', bookPath: `/bench/book-${Date.now()}/` }, 'Radicale 3 (loopback)'),
        );
        if (radicale) runs.push(radicale);
      }
    }
    const seeded = runs.map((r) => `${r.label}: ${r.contacts} PUTs (8 in flight) in ${fmt(r.seedSeconds)} s`).join('; ');
    return [
      '## CardDAV',
      '',
      `Run ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, client and servers on one machine over loopback, requests one at a time.`,
      'PROPFIND Depth 1 asks getetag of every contact; multiget asks getetag and address-data of 50; the aggregated collection is `/dav/carddav/Contacts/` with an Apple Address Book user agent (the seeded folder plus the small global address list);',
      'the sync figure times only the sync-collection REPORT that follows 10 PUTs, and checks it returns exactly those 10.',
      `Seeding: ${seeded}.`,
      '',
      table(runs, args.target ? [] : runs.length > 2 ? [[0, 1], [2, 1]] : [[0, 1]]),
      '',
    ].join('\n');
  },
};
