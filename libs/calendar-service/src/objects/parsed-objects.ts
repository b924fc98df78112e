import { CacheCounts } from '@davmesh/caching';
import { parseVcalendar, type IcalComponent } from '@davmesh/ical';

const MAX_OBJECTS = 5_000;
const MAX_CHARACTERS = 16 * 1024 * 1024;

/**
 * Parsed calendar objects by ETag, the least recently used going first. An ETag names the
 * stored bytes, so an entry never goes stale; queries that evaluate the same series again
 * (clients poll the same ranges) skip parsing, and the instances computed on a parsed object
 * stay with it. Whoever takes an object from here must not change it.
 */
export class ParsedObjects {
  private readonly entries = new Map<string, { root: IcalComponent; characters: number }>();
  private characters = 0;
  /** Never invalidated: an ETag names the bytes. */
  readonly counts = new CacheCounts();

  constructor(
    private readonly maxObjects = MAX_OBJECTS,
    private readonly maxCharacters = MAX_CHARACTERS,
  ) {}

  get(etag: string, ical: string): IcalComponent {
    const hit = this.counts.lookup(this.entries.get(etag));
    if (hit) {
      this.entries.delete(etag);
      this.entries.set(etag, hit);
      return hit.root;
    }
    const root = parseVcalendar(ical);
    if (ical.length > this.maxCharacters) return root;
    this.entries.set(etag, { root, characters: ical.length });
    this.characters += ical.length;
    while (this.entries.size > this.maxObjects || this.characters > this.maxCharacters) {
      const [oldest, entry] = this.entries.entries().next().value!;
      this.entries.delete(oldest);
      this.characters -= entry.characters;
    }
    return root;
  }
}
