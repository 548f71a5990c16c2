import type DataLoader from "dataloader";
import { and, asc, eq, gte, inArray, lt, type SQL, sql } from "drizzle-orm";
import { proofOfLeaf, signatureOfLeaf } from "../blobLeaves";
import type { Context } from "../context";
import { type InferenceRow, type LeafRow, type ReceiptRow, run, type SettlementRow } from "../db";
import { BadInputError } from "../errors";
import { addressOf, blobIdOf, merkleRootOf, txHashOf } from "../inputs";
import { leafTypesOf } from "../leafEncoding";
import { nestedPage } from "../nestedPagination";
import { type PageArgs, paginate } from "../pagination";
import { connectionResolvers } from "./connection";
import { type ReceiptsArgs, receiptSortOf, receiptWhere } from "./receipt";

export const typeDefs = /* GraphQL */ `
  "How a settlement carries its inferences."
  enum SettlementKind {
    "One inference per event (IndividualSettlement, or a legacy v1 Settlement): the event's fields are the leaf."
    individual
    "Many inferences per event (BatchSettlement): a Merkle root on chain, the leaves in a Walrus blob."
    batch
  }

  "The event set a settlement relay speaks."
  enum RelayAbi {
    "Legacy relays (to February 2026): Settlement, BatchSettlement without a blob id, SettlementWithMetadata."
    v1
    "Relays whose events carry the Walrus blob id, posted only by the relay's role holders."
    v2
    "Like v2, but anyone may post: only settlements from the facilitator's known signers are official."
    v3
  }

  "Whether a batch settlement's leaves could be read from its Walrus blob."
  enum BlobStatus {
    "The blob (fetched from Walrus or from Settlescan's archive) rebuilds the event's Merkle root; an individual settlement's repeats its event's fields."
    available
    "The blob could not be fetched yet: a batch's leaves, and so its inferences, are unknown until it can (not a failure)."
    pending
    "The blob decodes to a tree whose root is not the event's: every leaf it names fails inclusion. An individual settlement's blob does not parse or differs from its event (its inference is judged from the event)."
    mismatched
    "The blob is gone from Walrus and absent from the archive."
    expired
    "There is no blob to read: a legacy v1 batch names none."
    unavailable
  }

  "The values a settled leaf holds, by era; a tree dump's \`leafEncoding\` says which."
  enum LeafEncoding {
    "[inputHash, outputHash] (to February 2026): no TEE id or timestamp, so no inference id."
    e1
    "[inputHash, outputHash, sigValue] (2026-02-20 to 03-31): no TEE id or timestamp, so no inference id."
    e2
    "[teeId, inputHash, outputHash, signature, timestamp] (since 2026-04-01)."
    e3
    "The exact-link extension: E3's values, then the paymentId that paid for the inference and the amount charged."
    exact
  }

  "One relay event on the verification chain: a batch (BatchSettlement) or a single inference (IndividualSettlement)."
  type Settlement {
    "\`<txHash>-<logIndex>\`"
    id: ID!
    "Batch or individual settlement."
    kind: SettlementKind!
    "The verification chain's id."
    chainId: Int!
    "The relay transaction."
    txHash: String!
    "Its block on the verification chain."
    blockNumber: Int!
    "The event's log index."
    logIndex: Int!
    "The block's timestamp."
    timestamp: DateTime!
    "The relay contract that emitted the event."
    relay: String!
    "The event set of that relay."
    abi: RelayAbi!
    "Who sent the transaction (tx.from)."
    signer: String!
    """
    Whether the signer is one of the relay's known facilitator signers. An unofficial settlement is shown and judged,
    but never counted as proof.
    """
    official: Boolean!
    "Who sent the transaction (tx.from)."
    facilitator: String! @deprecated(reason: "Use signer.")
    "The root the event claims (batches)."
    merkleRoot: String
    "The root Settlescan rebuilt from the blob: the event's root when the blob is available, otherwise null."
    computedRoot: String @deprecated(reason: "Use blobStatus: available means the blob rebuilds merkleRoot.")
    "Whether the blob rebuilds the event's root (batches whose blob was read); null otherwise."
    rootMatches: Boolean @deprecated(reason: "Use blobStatus (available or mismatched).")
    "How many inferences the event says the batch holds (1 for individual settlements)."
    batchSize: Int!
    "The Walrus blob id (43 characters of base64url) the event names; null for legacy v1 events, which name none."
    blobId: String
    "Batches: whether the blob's leaves could be read. Individual settlements, which never wait for their blob: whether the archived blob matches the event. Null without a well-formed blob id."
    blobStatus: BlobStatus
    "Why the blob is mismatched, pending, expired or unavailable."
    blobReason: String
    "Why the blob is mismatched, pending, expired or unavailable."
    decodeError: String @deprecated(reason: "Use blobReason.")
    "The era of the leaves, once they are known."
    encoding: LeafEncoding
    "The Solidity types of the leaves' values (the blob's \`leafEncoding\`), once known."
    leafEncoding: [String!]
    "Individual settlements: the address the event names (the payer for EIP-3009 payments, often a proxy otherwise)."
    ethAddress: String
    "Leaves known (0 while the blob is pending)."
    leafCount: Int!
    "Every known leaf, in the blob's order, with its checks."
    leaves: [Leaf!]!
    "The inferences its leaves settle, in leaf order, each once (legacy E1 and E2 leaves name none)."
    inferences: [Inference!]!
    "Receipts first settled by this settlement."
    receipts(
      "Only its receipts matching every condition given; all of them when omitted."
      where: ReceiptFilter
      "Field and direction to order by, then by id; the newest settlement first when omitted."
      orderBy: ReceiptOrder
      "Page size: 20 when omitted, at most 1000."
      first: Int
      "Continue after this cursor: an edge's \`cursor\` or \`pageInfo.endCursor\` of a previous page in the same order."
      after: String
    ): ReceiptConnection!
  }

  "A settled inference: one leaf of a batch's blob, or an individual settlement's single leaf."
  type Leaf {
    "\`<settlementId>-<index>\`"
    id: ID!
    "Its index in the blob's \`values\` (0 for individual settlements)."
    index: Int!
    "The era of its values."
    encoding: LeafEncoding!
    "The Solidity types of its values."
    leafEncoding: [String!]!
    "keccak256(abi.encode(paymentId, inferenceId)) for exact-link leaves; null otherwise."
    receiptId: String
    "Exact-link leaves: the paymentId that paid for the inference."
    paymentId: String
    "keccak256(abi.encodePacked(teeId, inputHash, outputHash, uint256 timestamp)); null for E1 and E2 leaves."
    inferenceId: String
    "Exact-link leaves: the amount charged, in the payment token's base units."
    amount: BigInt
    "The enclave that signed the response; null for E1 and E2 leaves."
    teeId: String
    "keccak256 of the canonical request."
    inputHash: String!
    "keccak256 of the response content."
    outputHash: String!
    "The enclave's RSA-PSS signature; null for E1 and E2 leaves."
    signature: String
    "The enclave's response timestamp; null for E1 and E2 leaves."
    timestamp: DateTime
    "keccak256(bytes.concat(keccak256(abi.encode(values)))), as StandardMerkleTree hashes it (batches)."
    hash: String
    "StandardMerkleTree proof of the leaf against the settlement's root (empty for individual settlements)."
    proof: [String!]!
    "The settled leaf's state: unofficial, else invalid_proof, else duplicate, else proven."
    state: SettledLeafState!
    "The leaf is in the settlement: the blob rebuilds the event's root, or the event's fields are the leaf."
    inclusion: Boolean!
    "Why inclusion failed, if it did."
    inclusionReason: String
    "The enclave was registered, enabled and approved at the settlement's block, and its signature verifies."
    attestation: Boolean!
    "Why attestation failed, if it did."
    attestationReason: String
    "The settlement was posted by a known facilitator signer."
    provenance: Boolean!
    "No earlier official settlement proved the same inference."
    uniqueness: Boolean!
    "Why each failed check failed."
    reasons: [Reason!]!
    "The settlement's block time."
    settledAt: DateTime!
    "The settlement's block."
    blockNumber: Int!
    "The settlement event's log index."
    logIndex: Int!
    "The exact-link receipt it carries, if any."
    receipt: Receipt
    "The inference it settles; null for E1 and E2 leaves."
    inference: Inference
    "The settlement event carrying it."
    settlement: Settlement!
  }

  "Which settlements to list; every condition given must hold."
  input SettlementFilter {
    "Batch or individual settlements only."
    kind: SettlementKind
    "Sent by this address (tx.from)."
    signer: String
    "Sent by this address (tx.from)."
    facilitator: String @deprecated(reason: "Use signer.")
    "Emitted by this relay."
    relay: String
    "Emitted by relays of this event set."
    abi: RelayAbi
    "Only official (true) or unofficial (false) settlements."
    official: Boolean
    "Batches in any of these blob states."
    blobStatuses: [BlobStatus!]
    "At or after."
    from: DateTime
    "Before."
    to: DateTime
    "Only batches whose blob does (true: available) or does not (false: mismatched) rebuild the event's root."
    rootMatches: Boolean @deprecated(reason: "Use blobStatuses.")
  }

  "A settlement in a page, with the cursor to continue after it."
  type SettlementEdge {
    "Pass as \`after\` to get the settlements that follow this one."
    cursor: String!
    "The settlement."
    node: Settlement!
  }

  "A page of settlements."
  type SettlementConnection {
    "The page's settlements with their cursors."
    edges: [SettlementEdge!]!
    "The page's settlements."
    nodes: [Settlement!]!
    "Whether more pages follow, and where to continue."
    pageInfo: PageInfo!
    "Settlements matching the filter, all pages; counted only when selected."
    totalCount: Int!
  }

  extend type Query {
    """
    A settlement by its transaction hash, its Merkle root or its Walrus blob id: give exactly one. A batch whose blob
    is pending is found here before any of its inferences is.
    """
    settlement(
      "The hash of the verification chain transaction that posted it, 32-byte hex (its first settlement event in log order)."
      txHash: String
      "The Merkle root a batch posted, 32-byte hex."
      merkleRoot: String
      "The Walrus blob id (base64url, 43 characters) a batch named."
      blobId: String
    ): Settlement
    "Settlements, newest first (or oldest first with direction ASC)."
    settlements(
      "Only settlements matching every condition given; all of them when omitted."
      where: SettlementFilter
      "DESC (the default): newest first; ASC: oldest first."
      direction: OrderDirection
      "Page size: 20 when omitted, at most 1000."
      first: Int
      "Continue after this cursor: an edge's \`cursor\` or \`pageInfo.endCursor\` of a previous page in the same order."
      after: String
    ): SettlementConnection!
  }
`;

type SettlementFilter = {
  kind?: string | null;
  signer?: string | null;
  facilitator?: string | null;
  relay?: string | null;
  abi?: string | null;
  official?: boolean | null;
  blobStatuses?: string[] | null;
  from?: bigint | null;
  to?: bigint | null;
  rootMatches?: boolean | null;
};

function settlementWhere(ctx: Context, w: SettlementFilter): SQL | undefined {
  const s = ctx.tables.settlement;
  return and(
    w.kind != null ? eq(s.kind, w.kind) : undefined,
    w.signer != null ? eq(s.signer, addressOf(w.signer, "Signer")) : undefined,
    w.facilitator != null ? eq(s.signer, addressOf(w.facilitator, "Facilitator")) : undefined,
    w.relay != null ? eq(s.relay, addressOf(w.relay, "Relay")) : undefined,
    w.abi != null ? eq(s.abi, w.abi) : undefined,
    w.official != null ? eq(s.official, w.official) : undefined,
    w.blobStatuses ? (w.blobStatuses.length ? inArray(s.blobStatus, w.blobStatuses) : sql`false`) : undefined,
    w.from != null ? gte(s.timestamp, w.from) : undefined,
    w.to != null ? lt(s.timestamp, w.to) : undefined,
    w.rootMatches != null ? eq(s.blobStatus, w.rootMatches ? "available" : "mismatched") : undefined,
  );
}

/** The inferences a list of leaves settles, in leaf order, each once. */
export async function inferencesOfLeaves(ctx: Context, leaves: readonly LeafRow[]) {
  const ids = [...new Set(leaves.flatMap((l) => (l.inferenceId ? [l.inferenceId] : [])))];
  const rows = await ctx.loaders.inference.loadMany(ids);
  return rows.filter((row): row is InferenceRow => row !== null && !(row instanceof Error));
}

export const resolvers = {
  Query: {
    settlement: async (
      _: unknown,
      args: { txHash?: string | null; merkleRoot?: string | null; blobId?: string | null },
      ctx: Context,
    ) => {
      const given = [args.txHash, args.merkleRoot, args.blobId].filter((a) => a != null);
      if (given.length !== 1)
        throw new BadInputError("Give settlement exactly one of txHash, merkleRoot and blobId.", {
          code: "BAD_ARGUMENTS",
        });
      const s = ctx.tables.settlement;
      const where =
        args.txHash != null
          ? eq(s.txHash, txHashOf(args.txHash))
          : args.merkleRoot != null
            ? eq(s.merkleRoot, merkleRootOf(args.merkleRoot))
            : eq(s.blobId, blobIdOf(args.blobId!));
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
    facilitator: (row: SettlementRow) => row.signer,
    computedRoot: (row: SettlementRow) => (row.blobStatus === "available" ? row.merkleRoot : null),
    rootMatches: (row: SettlementRow) =>
      row.kind !== "batch"
        ? null
        : row.blobStatus === "available"
          ? true
          : row.blobStatus === "mismatched"
            ? false
            : null,
    decodeError: (row: SettlementRow) => row.blobReason,
    encoding: (row: SettlementRow) => row.leafEncoding,
    leafEncoding: (row: SettlementRow) => leafTypesOf(row.leafEncoding),
    leaves: (row: SettlementRow, _: unknown, ctx: Context) => {
      // Its leaves' proofs and signatures need the settlement: it is at hand.
      ctx.loaders.settlement.prime(row.id, row);
      return ctx.loaders.leavesBySettlement.load(row.id);
    },
    inferences: async (row: SettlementRow, _: unknown, ctx: Context) =>
      inferencesOfLeaves(ctx, await ctx.loaders.leavesBySettlement.load(row.id)),
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
    leafEncoding: (row: LeafRow) => leafTypesOf(row.encoding),
    hash: (row: LeafRow) => row.leafHash,
    signature: (row: LeafRow, _: unknown, ctx: Context) => signatureOfLeaf(ctx, row),
    proof: (row: LeafRow, _: unknown, ctx: Context) => proofOfLeaf(ctx, row),
    inclusionReason: (row: LeafRow) => row.reasons.find((r) => r.check === "inclusion")?.reason ?? null,
    attestationReason: (row: LeafRow) => row.reasons.find((r) => r.check === "attestation")?.reason ?? null,
    blockNumber: (row: LeafRow) => Number(row.blockNumber),
    receipt: (row: LeafRow, _: unknown, ctx: Context) =>
      row.receiptId ? ctx.loaders.receipt.load(row.receiptId) : null,
    inference: (row: LeafRow, _: unknown, ctx: Context) =>
      row.inferenceId ? ctx.loaders.inference.load(row.inferenceId) : null,
    settlement: (row: LeafRow, _: unknown, ctx: Context) => ctx.loaders.settlement.load(row.settlementId),
  },
  SettlementConnection: connectionResolvers,
};
