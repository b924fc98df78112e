import { type MultistatusBody } from '../http/multistatus-body';

/**
 * Writes a multiget's 207 as the objects arrive, a bus reply's worth at a time, so a multiget
 * of big objects never sits in memory whole: each object once for every href naming it, then
 * 404 for each href of a name not found, as the client wrote it so it can match the answer.
 * `names` maps an href to the member name it names (hrefNames).
 */
export async function writeMultiget<T extends { name: string }>(
  writer: MultistatusBody,
  hrefs: string[],
  names: Map<string, string>,
  pages: AsyncIterable<T[]>,
  render: (object: T) => string,
): Promise<void> {
  const hrefsOf = new Map<string, number>();
  for (const name of names.values()) hrefsOf.set(name, (hrefsOf.get(name) ?? 0) + 1);
  const found = new Set<string>();
  for await (const objects of pages) {
    for (const object of objects) {
      if (found.has(object.name)) continue;
      found.add(object.name);
      const chunk = render(object);
      for (let i = hrefsOf.get(object.name) ?? 0; i > 0; i--) await writer.write(chunk);
    }
  }
  for (const href of hrefs) {
    const name = names.get(href);
    if (name === undefined || !found.has(name)) await writer.write(writer.status(href, 404));
  }
}
