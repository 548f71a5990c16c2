import type DataLoader from "dataloader";
import { and, asc, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import type { Context } from "../context";
import { type LeafRow, type ReceiptRow, run, type SettlementRow } from "../db";
import { BadInputError } from "../errors";
import { addressOf, merkleRootOf, txHashOf } from "../inputs";
import { nestedPage } from "../nestedPagination";
import { type PageArgs, paginate } from "../pagination";
import { connectionResolvers } from "./connection";
import { type ReceiptsArgs, receiptSortOf, receiptWhere } from "./receipt";

export const typeDefs = /* GraphQL */ `
  enum SettlementKind {
    individual
    batch
  }

  "One IndividualSettlement or BatchSettlement event on the verification chain."
  type Settlement {
    "\`<txHash>-<logIndex>\`"
    id: ID!
    kind: SettlementKind!
    chainId: Int!
    txHash: String!
    blockNumber: Int!
    logIndex: Int!
    timestamp: DateTime!
    "Who posted it (tx.from)."
    facilitator: String!
    "The root the event claims (batches)."
    merkleRoot: String
    "The root Settlescan recomputed from the leaves in calldata (batches)."
    computedRoot: String
    rootMatches: Boolean
    blobId: String!
    leafCount: Int!
    "Why the leaves could not be read from calldata, if they could not."
    decodeError: String
    "Every leaf in calldata, in order, with its checks; a leaf that repeats a receipt has that receipt's first settlement."
    leaves: [Leaf!]!
    "Receipts first settled by this settlement."
    receipts(where: ReceiptFilter, orderBy: ReceiptOrder, first: Int, after: String): ReceiptConnection!
  }

  "A settled inference: one leaf of a batch, or an individual settlement's single leaf."
  type Leaf {
    id: ID!
    index: Int!
    receiptId: String!
    paymentId: String!
    inferenceId: String!
    amount: BigInt!
    teeId: String!
    inputHash: String!
    outputHash: String!
    signature: String!
    "The enclave's response timestamp."
    timestamp: DateTime!
    "keccak256(bytes.concat(keccak256(abi.encode(leaf)))), as StandardMerkleTree hashes it."
    hash: String!
    proof: [String!]!
    inclusion: Boolean!
    inclusionReason: String
    attestation: Boolean!
    attestationReason: String
    uniqueness: Boolean!
    settledAt: DateTime!
    receipt: Receipt
    settlement: Settlement!
  }

  input SettlementFilter {
    kind: SettlementKind
    facilitator: String
    "At or after."
    from: DateTime
    "Before."
    to: DateTime
    "Only batches whose recomputed root does (true) or does not (false) match the event."
    rootMatches: Boolean
  }

  type SettlementEdge {
    cursor: String!
    node: Settlement!
  }

  type SettlementConnection {
    edges: [SettlementEdge!]!
    nodes: [Settlement!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  extend type Query {
    "A settlement by its transaction hash or its Merkle root: give exactly one."
    settlement(txHash: String, merkleRoot: String): Settlement
    "Settlements, newest first (or oldest first with direction ASC)."
    settlements(where: SettlementFilter, direction: OrderDirection, first: Int, after: String): SettlementConnection!
  }
`;

type SettlementFilter = {
  kind?: string | null;
  facilitator?: string | null;
  from?: bigint | null;
  to?: bigint | null;
  rootMatches?: boolean | null;
};

function settlementWhere(ctx: Context, w: SettlementFilter): SQL | undefined {
  const s = ctx.tables.settlement;
  return and(
    w.kind != null ? eq(s.kind, w.kind) : undefined,
    w.facilitator != null ? eq(s.facilitator, addressOf(w.facilitator, "Facilitator")) : undefined,
    w.from != null ? gte(s.timestamp, w.from) : undefined,
    w.to != null ? lt(s.timestamp, w.to) : undefined,
    w.rootMatches != null ? eq(s.rootMatches, w.rootMatches) : undefined,
  );
}

export const resolvers = {
  Query: {
    settlement: async (_: unknown, args: { txHash?: string | null; merkleRoot?: string | null }, ctx: Context) => {
      if ((args.txHash == null) === (args.merkleRoot == null))
        throw new BadInputError("Give settlement exactly one of txHash and merkleRoot.", { code: "BAD_ARGUMENTS" });
      const s = ctx.tables.settlement;
      const where =
        args.txHash != null ? eq(s.txHash, txHashOf(args.txHash)) : eq(s.merkleRoot, merkleRootOf(args.merkleRoot!));
      const [row] = await run(
        ctx.counter,
        ctx.db.select().from(s).where(where).orderBy(asc(s.blockNumber), asc(s.logIndex)).limit(1),
      );
      return row ?? null;
    },
    settlements: (
      _: unknown,
      args: PageArgs & { where?: SettlementFilter | null; direction?: "ASC" | "DESC" | null },
      ctx: Context,
    ) => {
      const s = ctx.tables.settlement;
      return paginate<SettlementRow>(ctx, {
        table: s,
        id: s.id,
        where: settlementWhere(ctx, args.where ?? {}),
        sort: { name: "TIMESTAMP", value: sql`${s.timestamp}`, direction: args.direction ?? "DESC" },
        args,
        sortValueOf: (row) => row.timestamp,
      });
    },
  },
  Settlement: {
    blockNumber: (row: SettlementRow) => Number(row.blockNumber),
    leaves: (row: SettlementRow, _: unknown, ctx: Context) => ctx.loaders.leavesBySettlement.load(row.id),
    // Batched over every settlement of the page: two statements, not one per settlement.
    receipts: (row: SettlementRow, args: ReceiptsArgs, ctx: Context) => {
      const { sort, sortValueOf } = receiptSortOf(ctx, args.orderBy);
      return nestedPage(ctx, {
        field: "Settlement.receipts",
        parentColumn: ctx.tables.receipt.settlementId,
        parentId: row.id,
        table: ctx.tables.receipt,
        id: ctx.tables.receipt.id,
        where: receiptWhere(ctx, args.where),
        sort,
        args,
        sortValueOf,
        rowsById: ctx.loaders.receipt as DataLoader<string, ReceiptRow | null>,
      });
    },
  },
  Leaf: {
    index: (row: LeafRow) => row.leafIndex,
    hash: (row: LeafRow) => row.leafHash,
    receipt: (row: LeafRow, _: unknown, ctx: Context) => ctx.loaders.receipt.load(row.receiptId),
    settlement: (row: LeafRow, _: unknown, ctx: Context) => ctx.loaders.settlement.load(row.settlementId),
  },
  SettlementConnection: connectionResolvers,
};
