import { type IcalComponent } from './ical-module';

/** A definition longer than this is worked out for its object alone, never kept. */
const MAX_KEPT_DEFINITION = 16 * 1024;

/** Each parsed VTIMEZONE's text, written once however many caches ask. */
const texts = new WeakMap<IcalComponent, string>();

function textOf(zone: IcalComponent): string {
  let text = texts.get(zone);
  if (text === undefined) {
    text = JSON.stringify(zone.toJSON());
    texts.set(zone, text);
  }
  return text;
}

/**
 * What is worked out from a VTIMEZONE, kept by the whole text of its definition: clients send the
 * same few zones with every object. The value depends on the text alone, so keeping it shares
 * nothing between users; another definition of the same TZID is other text. The least recently
 * used go first.
 */
export class ZoneDefinitionCache<V> {
  private readonly kept = new Map<string, V>();

  constructor(private readonly max = 500) {}

  /** The value kept for this definition, else what `workOut` gives (kept unless it throws or the text is too long). */
  get(zone: IcalComponent, workOut: () => V): V {
    const text = textOf(zone);
    if (text.length > MAX_KEPT_DEFINITION) return workOut();
    const value = this.kept.has(text) ? this.kept.get(text)! : workOut();
    this.kept.delete(text);
    this.kept.set(text, value);
    if (this.kept.size > this.max) this.kept.delete(this.kept.keys().next().value!);
    return value;
  }
}
