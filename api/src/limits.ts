/**
 * Every limit the API enforces, in one place. Each host may override them (`createYoga({ limits })`); these are the
 * defaults.
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
   * Requests per client IP per minute on the standalone host (429 beyond); 0 turns it off. 20 a second on average:
   * far above what one explorer tab sends (a page is a few queries), low enough that one client cannot take the pool.
   */
  rateLimitPerMinute: 1200,
} as const;

export type Limits = { [K in keyof typeof DEFAULT_LIMITS]: number };
