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

/**
 * A digest of a table's rows in primary-key order: two indexes agree on a table iff their digests match.
 * Like a proof of indexing, it lets a user compare an index with a fresh one without comparing rows.
 */
export function tableDigestOf(rows: readonly unknown[]): string {
  const hash = createHash("sha256");
  for (const row of rows) hash.update(canonicalJsonOf(row)).update("\n");
  return `0x${hash.digest("hex")}`;
}
