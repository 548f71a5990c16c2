/**
 * A least-recently-used cache for yoga's parsed documents and parse errors that keeps only short sources. yoga's
 * default (1,024 entries of any size) would let hostile clients fill it with maximal documents — near the body
 * limit, or parsed up to the token limit — hundreds of MB that stay resident; the explorer's queries are far
 * shorter than `maxSourceLength` (the largest is about 1.2 kB), so they are still parsed once. Measured under a
 * 64 MB heap cap: with 256 entries of up to 4 kB, 1,150 hostile requests ran the heap out; with these limits,
 * 10,000 left the heap after a full collection flat at 43–46 MB.
 * @example
 * createYoga({ parserAndValidationCache: { documentCache: documentCache(), errorCache: documentCache() } });
 */
export function documentCache<T>({
  maxEntries = 128,
  maxSourceLength = 2048,
  counters,
}: {
  maxEntries?: number;
  maxSourceLength?: number;
  /** Counted on each `get`: a found source is a hit, any other a miss. */
  counters?: { hits: { inc: () => void }; misses: { inc: () => void } };
} = {}) {
  const entries = new Map<string, T>();
  return {
    get(source: string) {
      const value = entries.get(source);
      if (value === undefined) {
        counters?.misses.inc();
        return undefined;
      }
      counters?.hits.inc();
      // Re-inserted, so the Map's insertion order is the order of last use.
      entries.delete(source);
      entries.set(source, value);
      return value;
    },
    set(source: string, value: T) {
      if (source.length > maxSourceLength) return;
      entries.delete(source);
      entries.set(source, value);
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
    get size() {
      return entries.size;
    },
  };
}
