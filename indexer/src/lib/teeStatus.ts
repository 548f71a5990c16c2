/** One change of an enclave's status in a TEE registry, in chain order. */
export type TeeStatusChange = {
  kind: "registered" | "enabled" | "disabled" | "pcr_revoked";
  block: string;
  logIndex: number;
  tx: `0x${string}`;
};

/** Where a settlement stands in chain order: its block and log index. */
export type ChainPosition = { block: bigint; logIndex: number };

const before = (change: TeeStatusChange, at: ChainPosition) => {
  const block = BigInt(change.block);
  return block < at.block || (block === at.block && change.logIndex < at.logIndex);
};

/**
 * Whether an enclave was enabled at a point of the chain, from its status history: the last change before that
 * point decides. Revoking a PCR disables the enclaves running it without a per-enclave event; the indexer records
 * that as a `pcr_revoked` change, and only `enableTEE` (which needs the PCR approved again) undoes it.
 */
export function teeStatusAt(history: readonly TeeStatusChange[], at: ChainPosition) {
  let last: TeeStatusChange | undefined;
  for (const change of history) if (before(change, at)) last = change;
  return {
    registered: last !== undefined,
    enabled: last?.kind === "registered" || last?.kind === "enabled",
    change: last,
  };
}

/** Inserts a change keeping the history in chain order (a re-index sees the same events in the same order). */
export function withStatusChange(history: readonly TeeStatusChange[], change: TeeStatusChange): TeeStatusChange[] {
  const position = { block: BigInt(change.block), logIndex: change.logIndex };
  const index = history.findIndex((c) => !before(c, position));
  return index < 0 ? [...history, change] : [...history.slice(0, index), change, ...history.slice(index)];
}
