/**
 * What one cache counts for the metrics (`davmesh_cache_*_total`, docs/caching.md): plain
 * numbers the cache bumps as it works and the process's metrics read when scraped, so a
 * cache knows nothing of Prometheus and two nodes in one process never share a count.
 */
export class CacheCounts {
  hits = 0;
  misses = 0;
  /** Entries dropped because something changed (an event, an acknowledged invalidation, a reconnect): not expiry, not the size bound. */
  invalidations = 0;

  /** Counts a lookup and passes its result through. */
  lookup<T>(found: T | undefined): T | undefined {
    if (found === undefined) this.misses++;
    else this.hits++;
    return found;
  }
}
