import { createHash } from "node:crypto";

/** Canonical JSON of a row: keys sorted, bigints as decimal strings, so equal rows give equal text everywhere. */
export function canonicalJsonOf(value: unknown): string {
  return JSON.stringify(value, (_, v) => {
    if (typeof v === "bigint") return v.toString();
    if (v && typeof v === "object" && !Array.isArray(v))
      return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return v;
  });
}

/** A table digest fed a page of rows at a time; `digest()` is `tableDigestOf` of every row fed, in order. */
export type TableDigest = {
  /** Feeds the next rows (in primary-key order, after every row fed before). */
  update: (rows: readonly unknown[]) => TableDigest;
  /** The digest of every row fed so far; the digest can be fed more rows afterwards. */
  digest: () => `0x${string}`;
};

/**
 * An incremental table digest, so a table is digested one page at a time in bounded memory: the digest of a table
 * fed page by page equals `tableDigestOf` of its rows at once (sha256 of each row's canonical JSON and a newline).
 * @example
 * const digest = createTableDigest();
 * for await (const page of pages) digest.update(page);
 * digest.digest(); // "0x…"
 */
export function createTableDigest(): TableDigest {
  const hash = createHash("sha256");
  const self: TableDigest = {
    update: (rows) => {
      for (const row of rows) hash.update(canonicalJsonOf(row)).update("\n");
      return self;
    },
    digest: () => `0x${hash.copy().digest("hex")}`,
  };
  return self;
}

/**
 * A digest of a table's rows in primary-key order: two indexes agree on a table iff their digests match.
 * Like a proof of indexing, it lets a user compare an index with a fresh one without comparing rows.
 */
export function tableDigestOf(rows: readonly unknown[]): string {
  return createTableDigest().update(rows).digest();
}
