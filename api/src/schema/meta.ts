import { SETTLEMENT_WINDOW_SECONDS } from "@settlescan/indexer/src/lib/verdict.ts";
import { sql } from "drizzle-orm";
import { chainTimeOf } from "../checkpoint";
import type { Context } from "../context";
import { rowsOf } from "../db";

export const typeDefs = /* GraphQL */ `
  "How far one chain is indexed."
  type ChainStatus {
    "The chain's id (eth_chainId)."
    chainId: Int!
    "The chain's name in the indexer's configuration: \`base\` (payments) or \`og\` (settlements)."
    name: String!
    "The latest indexed block."
    blockNumber: Int!
    "Its timestamp."
    timestamp: DateTime!
    """
    Seconds this chain's indexed head is behind the most advanced chain's indexed head, in chain time (0 for the
    leader): how far one side of the link lags the other.
    """
    lagSeconds: Int!
    "Seconds between this chain's indexed head and the API server's clock (meaningless on a devnet with a fixed clock)."
    secondsBehindWallClock: Int!
  }

  "A settlement relay contract on the verification chain, as seen in the settlements indexed from it."
  type RelayStatus {
    "The relay's address."
    address: String!
    "The event set it speaks: \`v1\` (legacy events, no blob id), \`v2\` or \`v3\` (events carrying a Walrus blob id)."
    abi: RelayAbi!
    "Settlement events indexed from it."
    settlements: Int!
    "Of those, the ones posted by no known facilitator signer (shown, never counted as proof)."
    unofficialSettlements: Int!
    """
    Batch settlements whose blob could not be fetched yet: their leaves, and so their inferences, are unknown until
    it can. The indexer asks for them again as the verification chain moves.
    """
    pendingBlobs: Int!
  }

  "How far Settlescan has indexed, and the chain time states are judged at."
  type Meta {
    "Each indexed chain, by chain id."
    chains: [ChainStatus!]!
    "Chain time: the latest indexed head over all chains. Payment states are judged at it."
    now: DateTime
    "How long a payment may wait for its proof before it is overdue."
    settlementWindowSeconds: Int!
    "Every relay that has posted an indexed settlement, by address."
    relays: [RelayStatus!]!
  }

  """
  Settlescan's read-only API over both chains: payments on the payment chain (Base), settlements of TEE inference
  proofs on the verification chain (OpenGradient's chain), and what links and judges them.
  """
  type Query {
    "Indexing status: indexed block and lag per chain, and the relays' pending blobs."
    _meta: Meta!
  }
`;

type RelayRow = { address: string; abi: string; settlements: number; unofficial: number; pending: number };

export const resolvers = {
  Query: {
    _meta: async (_: unknown, __: unknown, ctx: Context) => {
      const heads = await ctx.loaders.heads();
      const latest = chainTimeOf(heads);
      const wallClock = BigInt(Math.floor(Date.now() / 1000));
      return {
        chains: heads.map((h) => ({
          chainId: h.chainId,
          name: h.name,
          blockNumber: Number(h.blockNumber),
          timestamp: h.timestamp,
          lagSeconds: Number(latest - h.timestamp),
          secondsBehindWallClock: Number(wallClock - h.timestamp),
        })),
        now: heads.length ? latest : null,
        settlementWindowSeconds: Number(SETTLEMENT_WINDOW_SECONDS),
      };
    },
  },
  Meta: {
    // Read only when asked for: one pass over the settlements, grouped by relay.
    relays: async (_: unknown, __: unknown, ctx: Context) => {
      const rows = await rowsOf<RelayRow>(
        ctx.counter,
        ctx.db,
        sql`select relay as address, abi, count(*)::int as settlements,
          count(*) filter (where not official)::int as unofficial,
          count(*) filter (where blob_status = 'pending')::int as pending
        from ${ctx.tables.settlement} group by relay, abi order by relay, abi`,
      );
      return rows.map((row) => ({
        address: row.address,
        abi: row.abi,
        settlements: row.settlements,
        unofficialSettlements: row.unofficial,
        pendingBlobs: row.pending,
      }));
    },
  },
};
