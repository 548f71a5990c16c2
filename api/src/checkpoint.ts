import { asc } from "drizzle-orm";
import { pgTable } from "drizzle-orm/pg-core";
import { type Db, type QueryCounter, run } from "./db";

/**
 * Ponder's own progress table: one row per chain with the checkpoint of the latest event it indexed. Unqualified, so
 * `search_path` picks the schema: the indexer's inside Ponder, the published views schema for the standalone host.
 */
export const ponderCheckpoint = pgTable("_ponder_checkpoint", (t) => ({
  // Named explicitly: Ponder's own drizzle (the host inside Ponder) does not map camelCase to snake_case.
  chainName: t.text("chain_name").primaryKey(),
  chainId: t.bigint("chain_id", { mode: "number" }).notNull(),
  latestCheckpoint: t.varchar("latest_checkpoint", { length: 75 }).notNull(),
}));

/** How far one chain is indexed: its latest indexed block and that block's timestamp (chain time, seconds). */
export type ChainHead = { name: string; chainId: number; blockNumber: bigint; timestamp: bigint };

// A checkpoint is fixed-width decimal: 10 digits of block timestamp, 16 of chain id, 16 of block number, then the
// transaction index, event type and event index (Ponder's utils/checkpoint.ts).
const CHECKPOINT = /^(\d{10})(\d{16})(\d{16})\d{33}$/;

/**
 * The block timestamp and number a Ponder checkpoint encodes.
 * @example checkpointOf("1767225600" + "0".repeat(12) + "8453" + "0".repeat(14) + "42" + "0".repeat(33))
 * // { timestamp: 1767225600n, chainId: 8453, blockNumber: 42n }
 */
export function checkpointOf(checkpoint: string) {
  const match = CHECKPOINT.exec(checkpoint);
  if (!match) throw new Error(`Ponder checkpoint "${checkpoint}" is not 75 digits.`);
  return { timestamp: BigInt(match[1]!), chainId: Number(match[2]), blockNumber: BigInt(match[3]!) };
}

/** Every indexed chain's head, by chain id. */
export async function chainHeadsOf(db: Db, counter: QueryCounter): Promise<ChainHead[]> {
  const rows = await run(counter, db.select().from(ponderCheckpoint).orderBy(asc(ponderCheckpoint.chainId)));
  return rows.map((row) => {
    const { timestamp, blockNumber } = checkpointOf(row.latestCheckpoint);
    return { name: row.chainName, chainId: Number(row.chainId), blockNumber, timestamp };
  });
}

/** Chain time: the latest indexed head's timestamp over every chain (0 before anything is indexed). */
export function chainTimeOf(heads: readonly ChainHead[]): bigint {
  // biome-ignore lint/complexity/useMathMinMax: bigints, which Math.max does not take.
  return heads.reduce((max, h) => (h.timestamp > max ? h.timestamp : max), 0n);
}
