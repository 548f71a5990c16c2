import { SETTLEMENT_WINDOW_SECONDS } from "@settlescan/indexer/src/lib/verdict.ts";
import { asc } from "drizzle-orm";
import type { Context } from "../context";
import { run } from "../db";

export const typeDefs = /* GraphQL */ `
  "How far one chain is indexed."
  type ChainStatus {
    chainId: Int!
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

  type Meta {
    chains: [ChainStatus!]!
    "Chain time: the latest indexed head over all chains. Payment states are judged at it."
    now: DateTime
    "How long a payment may wait for its proof before it is overdue."
    settlementWindowSeconds: Int!
  }

  type Query {
    "Indexing status: indexed block and lag per chain."
    _meta: Meta!
  }
`;

export const resolvers = {
  Query: {
    _meta: async (_: unknown, __: unknown, ctx: Context) => {
      const heads = await run(
        ctx.counter,
        ctx.db.select().from(ctx.tables.chainHead).orderBy(asc(ctx.tables.chainHead.id)),
      );
      // biome-ignore lint/complexity/useMathMinMax: bigints, which Math.max does not take.
      const latest = heads.reduce((max, h) => (h.timestamp > max ? h.timestamp : max), 0n);
      const wallClock = BigInt(Math.floor(Date.now() / 1000));
      return {
        chains: heads.map((h) => ({
          chainId: h.id,
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
};
