import { SETTLEMENT_WINDOW_SECONDS } from "@settlescan/indexer/src/lib/verdict.ts";
import { sql } from "drizzle-orm";
import { chainTimeOf } from "../checkpoint";
import type { Context } from "../context";
import { rowsOf } from "../db";
import { databaseStatus } from "../replication";

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
    Settlements whose blob could not be fetched yet: a batch's leaves, and so its inferences, are unknown until it
    can; an individual settlement's blob is compared with its event when it arrives. The indexer asks for them again
    as the verification chain moves.
    """
    pendingBlobs: Int!
  }

  "What kind of database this API process reads."
  enum DatabaseRole {
    "A primary PostgreSQL server: the one the indexer writes, or a server not in recovery."
    PRIMARY
    "A PostgreSQL hot standby following a primary by streaming replication: its data may trail the primary's."
    REPLICA
    "PGlite inside the indexer process, which serves this API itself."
    EMBEDDED
  }

  "The database this API process reads, and how far it trails its primary when it is a replica."
  type DatabaseStatus {
    "Primary, streaming replica or embedded PGlite."
    role: DatabaseRole!
    """
    Seconds this replica's data is behind its primary: 0 while it follows its primary and has replayed all the WAL
    it received (however old its last replayed transaction, since an idle primary writes nothing), otherwise the age
    of its last replayed transaction (null before the first), an upper bound that includes how long a transaction
    still open on the primary has run. Null on a primary or embedded database. WAL the primary has not sent is
    invisible to a replica: the chains' \`secondsBehindWallClock\` measures staleness end to end.
    """
    replicationLagSeconds: Float
    "Bytes of WAL this replica received and has not replayed yet; null on a primary or embedded database."
    replayLagBytes: Float
    "Whether this replica's WAL receiver runs, i.e. it follows its primary; null on a primary or embedded database."
    streaming: Boolean
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
    "The database this API process reads: with several API processes behind a load balancer, the one that answered."
    database: DatabaseStatus!
  }

  """
  Settlescan's read-only API over both chains: payments on the payment chain (Base), settlements of TEE inference
  proofs on the verification chain (OpenGradient's chain), and what links and judges them.
  """
  type Query {
    "Indexing status: indexed block and lag per chain, the relays' pending blobs, and the database read with its replication lag."
    _meta: Meta!
  }
`;

type RelayRow = { address: string; abi: string; settlements: number; unofficial: number; pending: number };

export const resolvers = {
  Query: {
    // Each field of Meta reads what it needs: `_meta { database }` reads no table, so it answers on a replica whose
    // primary has not published the views yet.
    _meta: () => ({}),
  },
  Meta: {
    chains: async (_: unknown, __: unknown, ctx: Context) => {
      const heads = await ctx.loaders.heads();
      const latest = chainTimeOf(heads);
      const wallClock = BigInt(Math.floor(Date.now() / 1000));
      return heads.map((h) => ({
        chainId: h.chainId,
        name: h.name,
        blockNumber: Number(h.blockNumber),
        timestamp: h.timestamp,
        lagSeconds: Number(latest - h.timestamp),
        secondsBehindWallClock: Number(wallClock - h.timestamp),
      }));
    },
    now: async (_: unknown, __: unknown, ctx: Context) => {
      const heads = await ctx.loaders.heads();
      return heads.length ? chainTimeOf(heads) : null;
    },
    settlementWindowSeconds: () => Number(SETTLEMENT_WINDOW_SECONDS),
    // Asked of the database only when the field is selected: one statement, no table read.
    database: (_: unknown, __: unknown, ctx: Context) => databaseStatus(ctx.counter, ctx.db),
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
