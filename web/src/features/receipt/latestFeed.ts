/** The fields the feed shows; a pushed receipt and a fetched one have the same shape. */
type FeedReceipt = { id: string; settledAt: string };

/**
 * The feed after a pushed receipt: new ones go in, changed ones are replaced, newest settlement first, at most
 * `size` rows (an old receipt that changed stays out when the feed is full of newer ones).
 * @example mergeIntoFeed(rows, event.receipt, 10)
 */
export function mergeIntoFeed<T extends FeedReceipt>(rows: readonly T[], receipt: T, size: number): T[] {
  const merged = [receipt, ...withoutReceipt(rows, receipt.id)];
  // Stable: among equal settlement times (one block), the pushed receipt comes first.
  return merged.sort((a, b) => Date.parse(b.settledAt) - Date.parse(a.settledAt)).slice(0, size);
}

/** The feed without a receipt a reorg removed (the next fetch refills the row it leaves). */
export function withoutReceipt<T extends FeedReceipt>(rows: readonly T[], id: string): T[] {
  return rows.filter((r) => r.id !== id);
}
