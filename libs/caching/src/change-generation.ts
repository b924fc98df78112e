/** Where a fetch began, as `ChangeGeneration.mark()` gave it. */
export type GenerationMark = number & { readonly __brand: 'GenerationMark' };

/**
 * The guard of a cache filled by requests and emptied by change events: a reply fetched while a
 * change arrived may hold what the change replaced, and storing it would keep the old value
 * alive after the event that should have dropped it. So take a mark before asking, call
 * `changed()` on every change event (before dropping what it touches), and store the reply
 * only if `isCurrent(mark)`.
 */
export class ChangeGeneration {
  private generation = 0;

  mark(): GenerationMark {
    return this.generation as GenerationMark;
  }

  changed(): void {
    this.generation++;
  }

  /** No change event arrived since the mark was taken. */
  isCurrent(mark: GenerationMark): boolean {
    return mark === this.generation;
  }
}
