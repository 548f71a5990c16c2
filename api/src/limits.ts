/**
 * Every limit the API enforces, in one place. Each host may override them (`createYoga({ limits })`); these are the
 * defaults. Every public route has a size and a time bound:
 *
 * | route (host)                              | size bound                                   | time bound                     |
 * | ----------------------------------------- | -------------------------------------------- | ------------------------------ |
 * | `/graphql` (both)                         | body `maxRequestBytes`; depth, tokens, pages | `requestTimeoutMs` → 504       |
 * | `/export/{receipts,payments}.{csv,jsonl}` | `maxExportRows` rows, then a trailer line    | `exportTimeoutMs`, then trailer |
 * | `/blob/:blobId` (both)                    | `maxBlobBytes` → 413                         | `requestTimeoutMs` → 504       |
 * | `/integrity` (indexer)                    | memory: pages of `integrityDigestPageRows`   | `integrityTimeoutMs` → 504     |
 * | `/integrity/:table` (indexer)             | pages of at most `maxIntegrityPageRows`      | `requestTimeoutMs` → 504       |
 * | `/progress` (indexer)                     | four numbers per chain                       | `requestTimeoutMs` → 504       |
 * | `/ponder-graphql` (indexer)               | Ponder's tokens, depth, aliases; `requestBounds` | `requestBounds` → 504       |
 * | `/health` `/ready` `/status` `/metrics`   | Ponder's own: constant-size answers          | one small statement            |
 *
 * GET routes never read a body; only `/graphql` (and `/ponder-graphql`) accept one.
 */
export const DEFAULT_LIMITS = {
  /** Deepest selection: receipt → payment → receipts → settlement → leaves → receipt is 6; 10 leaves room. */
  maxDepth: 10,
  /** Tokens in one operation. Apollo's recommended 1000 (as Ponder's own graphql() uses) fits any page query. */
  maxTokens: 1000,
  /** Aliases in one operation, Apollo's recommended 30: enough to batch lookups, not to fan out thousands. */
  maxAliases: 30,
  /** Page size when `first` is not given. */
  defaultPageSize: 20,
  /** Largest `first` of any connection (issue 5). */
  maxPageSize: 1000,
  /** Most buckets one `stats` call may return: a year of days, or 30 days of hours, and then some. */
  maxStatsBuckets: 2000,
  /** Most hits `search` returns; an address with more rows is one hit with a count. */
  maxSearchHits: 50,
  /**
   * Largest archived blob `/blob/:blobId` serves (413 beyond): a batch of 20 E3 leaves is about 20 kB, a devnet batch
   * of 1,000 about 1 MB; anyone may post a batch, so an absurd one is refused rather than read into memory.
   */
  maxBlobBytes: 16 * 1024 * 1024,
  /** Largest request body; a page query is a few hundred bytes. */
  maxRequestBytes: 64 * 1024,
  /** A request that takes longer answers 504; the standalone host also sets it as PostgreSQL's statement_timeout. */
  requestTimeoutMs: 10_000,
  /**
   * Most receipts one export streams (and `limit`'s default): 100k receipts are about 60 MB of CSV. A larger export
   * ends with a ROW_LIMIT trailer line naming the cursor to continue from.
   */
  maxExportRows: 100_000,
  /**
   * An export streaming longer than this ends with a TIME_LIMIT trailer line (and the cursor to continue from): two
   * minutes carry 100k rows many times over, so only a stalled database or reader meets it.
   */
  exportTimeoutMs: 120_000,
  /** Largest page of `/integrity/:table`, and its default: 1,000 receipts are about 1 MB of JSON. */
  maxIntegrityPageRows: 1000,
  /** Rows per statement while `/integrity` digests a table: memory stays bounded whatever the table's size. */
  integrityDigestPageRows: 2000,
  /** Pages of the `blob` table are this small instead: each row holds a whole blob (1 MB for 1,000 E3 leaves). */
  integrityBlobPageRows: 16,
  /**
   * `/integrity` reads every row of every table (300k rows for 100k inferences, a few seconds); a digest taking
   * longer answers 504 rather than hold a connection.
   */
  integrityTimeoutMs: 120_000,
  /**
   * Requests per client IP per minute on the standalone host (429 beyond); 0 turns it off. 20 a second on average:
   * far above what one explorer tab sends (a page is a few queries), low enough that one client cannot take the pool.
   */
  rateLimitPerMinute: 1200,
} as const;

export type Limits = { [K in keyof typeof DEFAULT_LIMITS]: number };
