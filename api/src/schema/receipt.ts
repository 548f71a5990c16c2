import { and, eq, gte, inArray, lt, lte, type SQL, sql } from "drizzle-orm";
import { blobLeafFieldsOf } from "../blobLeaves";
import type { Context } from "../context";
import type { ReceiptRow } from "../db";
import { BadInputError } from "../errors";
import { addressOf, paymentIdOf, receiptIdOf, teeIdOf } from "../inputs";
import { leafTypesOf } from "../leafEncoding";
import type { LeafInSettlement } from "../loaders";
import { type PageArgs, paginate, type SortKey } from "../pagination";
import { connectionResolvers } from "./connection";

export const typeDefs = /* GraphQL */ `
  """
  A receipt's state: when several apply, the first of unofficial, invalid_proof, duplicate, unpaid, underpaid wins;
  verified when none does.
  """
  enum ReceiptState {
    "Every check passed: the payment paid for the leaf, which is included, attested, official and first."
    verified
    "No payment with the leaf's paymentId is indexed on the payment chain."
    unpaid
    "The receipts citing the payment claim more than it paid."
    underpaid
    "The leaf is not in its settlement, or its enclave or signature does not check out."
    invalid_proof
    "An earlier official settlement already settled the same receipt."
    duplicate
    "Posted by no known facilitator signer: judged, never counted."
    unofficial
  }

  "A receipt's checks: true when passed."
  type Checks {
    "The payment exists on the payment chain and covers what the receipts citing it claim."
    payment: Boolean!
    "The leaf is in the settlement: the blob rebuilds the event's Merkle root."
    inclusion: Boolean!
    "The enclave was registered, enabled and approved at the settlement's block, and its signature verifies."
    attestation: Boolean!
    "The settlement was posted by a known facilitator signer."
    provenance: Boolean!
    "No earlier official settlement settled the same receipt."
    uniqueness: Boolean!
  }

  "Why a check failed."
  type Reason {
    "The check's name: payment, inclusion, attestation, provenance or uniqueness."
    check: String!
    "What was found, in a sentence."
    reason: String!
  }

  """
  A payment receipt (the exact-link extension): a settled leaf that names the paymentId that paid for its inference
  and the amount charged. \`receiptId = keccak256(abi.encode(paymentId, inferenceId))\`.
  """
  type Receipt {
    "The receiptId."
    id: ID!
    "Its state, from its checks."
    state: ReceiptState!
    "The payment the leaf names."
    paymentId: String!
    "The inference the leaf settles: keccak256(abi.encodePacked(teeId, inputHash, outputHash, uint256 timestamp))."
    inferenceId: String!
    "What the settlement leaf claims, in the payment token's base units."
    amount: BigInt!
    "What the payment paid; null while no payment with this id is indexed."
    paidAmount: BigInt
    "The payment's payer; null while the payment is not indexed."
    payer: String
    "The payment's payee; null while the payment is not indexed."
    payee: String
    "Who submitted the payment on the payment chain."
    facilitator: String
    "The enclave that signed the inference."
    teeId: String!
    "When the payment was made; null while it is not indexed."
    paidAt: DateTime
    "When its (first) settlement was posted."
    settledAt: DateTime!
    "Seconds from payment to settlement, in chain time; null until the payment is indexed."
    latencySeconds: Int
    "How many settlements cite this receipt; more than one means it was settled again."
    settlementCount: Int!
    "The payment on the payment chain; null when none with \`paymentId\` is indexed (state unpaid)."
    payment: Payment
    "Its first settlement, and where the leaf is in it."
    settlement: ReceiptSettlement!
    "The inference the receipt's leaf settles, with its own checks and every settlement of it."
    inference: Inference
    "The enclave as registered; null when no registry registered it."
    tee: Tee
    "Each check's verdict."
    checks: Checks!
    "Why each failed check failed."
    reasons: [Reason!]!
  }

  "The settlement event that carried a receipt's leaf, and where in it the leaf is."
  type ReceiptSettlement {
    "Batch or individual settlement."
    kind: SettlementKind!
    "The relay transaction."
    txHash: String!
    "Its block on the verification chain."
    blockNumber: Int!
    "The settlement event's log index."
    logIndex: Int!
    "The verification chain's id."
    chainId: Int!
    "The block's timestamp."
    timestamp: DateTime!
    "The relay contract that emitted the event."
    relay: String!
    "The event set of that relay."
    abi: RelayAbi!
    "Who posted the proof on the verification chain (tx.from)."
    signer: String!
    "Whether the signer is a known facilitator signer."
    official: Boolean!
    "Who posted the proof on the verification chain."
    facilitator: String! @deprecated(reason: "Use signer.")
    "Batch settlements only."
    merkleRoot: String
    "The Walrus blob holding the leaf."
    blobId: String!
    "Whether the blob's leaves could be read."
    blobStatus: BlobStatus
    "The leaf's index in the blob's \`values\`."
    leafIndex: Int!
    "StandardMerkleTree proof of the leaf against \`merkleRoot\` (empty for individual settlements)."
    proof: [String!]!
    "The Solidity types of the leaf's values."
    leafEncoding: [String!]!
    "The settled leaf, with all its values."
    leaf: Leaf!
    "The whole settlement event."
    settlement: Settlement!
  }

  "Which receipts to list; every condition given must hold."
  input ReceiptFilter {
    "Any of these states."
    states: [ReceiptState!]
    "Settled at or after."
    from: DateTime
    "Settled before."
    to: DateTime
    "Paid at or after."
    paidFrom: DateTime
    "Paid before."
    paidTo: DateTime
    "Paid by this address."
    payer: String
    "Paid to this address."
    payee: String
    "Whose payment this address submitted (tx.from on the payment chain)."
    facilitator: String
    "Signed by this enclave."
    teeId: String
    "Citing this payment."
    paymentId: String
    "At least this amount (base units)."
    minAmount: BigInt
    "At most this amount (base units)."
    maxAmount: BigInt
  }

  "What receipts are ordered by (then by id)."
  enum ReceiptOrderField {
    "When the receipt was (first) settled."
    SETTLED_AT
    "When its payment was made."
    PAID_AT
    "The amount its leaf claims."
    AMOUNT
    "Seconds from payment to settlement."
    LATENCY
  }

  "Receipts are ordered by this field, then by id; receipts without the field (unpaid) sort lowest."
  input ReceiptOrder {
    "The value to order by."
    field: ReceiptOrderField!
    "Ascending or descending."
    direction: OrderDirection!
  }

  "A receipt in a page, with the cursor to continue after it."
  type ReceiptEdge {
    "Pass as \`after\` to get the receipts that follow this one."
    cursor: String!
    "The receipt."
    node: Receipt!
  }

  "A page of receipts."
  type ReceiptConnection {
    "The page's receipts with their cursors."
    edges: [ReceiptEdge!]!
    "The page's receipts."
    nodes: [Receipt!]!
    "Whether more pages follow, and where to continue."
    pageInfo: PageInfo!
    "Receipts matching the filter, all pages; counted only when selected."
    totalCount: Int!
  }

  extend type Query {
    "A receipt by its id; null when no settlement cites it yet (search by the payment's tx hash or id instead)."
    receipt(
      "The receipt id: keccak256(abi.encode(paymentId, inferenceId)), 32-byte hex."
      id: ID!
    ): Receipt
    "Receipts matching the filter, newest settlement first unless ordered otherwise; cursor-paginated."
    receipts(
      "Only receipts matching every condition given; all of them when omitted."
      where: ReceiptFilter
      "Field and direction to order by, then by id; the newest settlement first when omitted."
      orderBy: ReceiptOrder
      "Page size: 20 when omitted, at most 1000."
      first: Int
      "Continue after this cursor: an edge's \`cursor\` or \`pageInfo.endCursor\` of a previous page in the same order."
      after: String
    ): ReceiptConnection!
  }
`;

export type ReceiptFilter = {
  states?: string[] | null;
  from?: bigint | null;
  to?: bigint | null;
  paidFrom?: bigint | null;
  paidTo?: bigint | null;
  payer?: string | null;
  payee?: string | null;
  facilitator?: string | null;
  teeId?: string | null;
  paymentId?: string | null;
  minAmount?: bigint | null;
  maxAmount?: bigint | null;
};
export type ReceiptOrder = { field: "SETTLED_AT" | "PAID_AT" | "AMOUNT" | "LATENCY"; direction: "ASC" | "DESC" };
export type ReceiptsArgs = PageArgs & { where?: ReceiptFilter | null; orderBy?: ReceiptOrder | null };

/** The SQL condition of a `ReceiptFilter`, with every id and address checked first. */
export function receiptWhere(ctx: Context, where: ReceiptFilter | null | undefined, extra?: SQL): SQL | undefined {
  const r = ctx.tables.receipt;
  const w = where ?? {};
  if (w.minAmount != null && w.maxAmount != null && w.minAmount > w.maxAmount)
    throw new BadInputError(`minAmount ${w.minAmount} is more than maxAmount ${w.maxAmount}.`, { code: "BAD_AMOUNT" });
  return and(
    extra,
    w.states ? (w.states.length ? inArray(r.state, w.states) : sql`false`) : undefined,
    w.from != null ? gte(r.settledAt, w.from) : undefined,
    w.to != null ? lt(r.settledAt, w.to) : undefined,
    w.paidFrom != null ? gte(r.paidAt, w.paidFrom) : undefined,
    w.paidTo != null ? lt(r.paidAt, w.paidTo) : undefined,
    w.payer != null ? eq(r.payer, addressOf(w.payer, "Payer")) : undefined,
    w.payee != null ? eq(r.payee, addressOf(w.payee, "Payee")) : undefined,
    w.facilitator != null ? eq(r.facilitator, addressOf(w.facilitator, "Facilitator")) : undefined,
    w.teeId != null ? eq(r.teeId, teeIdOf(w.teeId)) : undefined,
    w.paymentId != null ? eq(r.paymentId, paymentIdOf(w.paymentId)) : undefined,
    w.minAmount != null ? gte(r.amount, w.minAmount) : undefined,
    w.maxAmount != null ? lte(r.amount, w.maxAmount) : undefined,
  );
}

/** The sort key of a `ReceiptOrder`: newest settlements first by default. */
export function receiptSortOf(ctx: Context, orderBy: ReceiptOrder | null | undefined) {
  const r = ctx.tables.receipt;
  const order = orderBy ?? { field: "SETTLED_AT", direction: "DESC" };
  const columns = {
    SETTLED_AT: { value: sql`${r.settledAt}`, of: (row: ReceiptRow) => row.settledAt },
    PAID_AT: { value: sql`coalesce(${r.paidAt}, -1)`, of: (row: ReceiptRow) => row.paidAt },
    AMOUNT: { value: sql`${r.amount}`, of: (row: ReceiptRow) => row.amount },
    LATENCY: { value: sql`coalesce(${r.latencySeconds}, -1)`, of: (row: ReceiptRow) => row.latencySeconds },
  } as const;
  const column = columns[order.field];
  const sort: SortKey = { name: order.field, value: column.value, direction: order.direction };
  return { sort, sortValueOf: column.of };
}

/** One page of receipts matching `where` (and `extra`, for nested connections). */
export function receiptsPage(ctx: Context, args: ReceiptsArgs, extra?: SQL) {
  const { sort, sortValueOf } = receiptSortOf(ctx, args.orderBy);
  return paginate<ReceiptRow>(ctx, {
    table: ctx.tables.receipt,
    id: ctx.tables.receipt.id,
    where: receiptWhere(ctx, args.where, extra),
    sort,
    args,
    sortValueOf,
  });
}

const seconds = (value: bigint | null) => (value === null ? null : Number(value));

export const resolvers = {
  Query: {
    receipt: (_: unknown, { id }: { id: string }, ctx: Context) => ctx.loaders.receiptWithTrail.load(receiptIdOf(id)),
    receipts: (_: unknown, args: ReceiptsArgs, ctx: Context) => receiptsPage(ctx, args),
  },
  Receipt: {
    latencySeconds: (r: ReceiptRow) => seconds(r.latencySeconds),
    payment: (r: ReceiptRow, _: unknown, ctx: Context) => ctx.loaders.payment.load(r.paymentId),
    settlement: async (r: ReceiptRow, _: unknown, ctx: Context) => {
      const found = await ctx.loaders.leafInSettlement.load(r.leafId);
      if (!found) throw new Error(`Receipt ${r.id} cites leaf ${r.leafId}, which is not indexed.`);
      return found;
    },
    tee: (r: ReceiptRow, _: unknown, ctx: Context) => ctx.loaders.tee.load(r.teeId),
    inference: (r: ReceiptRow, _: unknown, ctx: Context) => ctx.loaders.inference.load(r.inferenceId),
    checks: (r: ReceiptRow) => ({
      payment: r.checkPayment,
      inclusion: r.checkInclusion,
      attestation: r.checkAttestation,
      provenance: r.checkProvenance,
      uniqueness: r.checkUniqueness,
    }),
  },
  ReceiptSettlement: {
    kind: ({ settlement }: LeafInSettlement) => settlement.kind,
    txHash: ({ settlement }: LeafInSettlement) => settlement.txHash,
    blockNumber: ({ settlement }: LeafInSettlement) => Number(settlement.blockNumber),
    logIndex: ({ settlement }: LeafInSettlement) => settlement.logIndex,
    chainId: ({ settlement }: LeafInSettlement) => settlement.chainId,
    timestamp: ({ settlement }: LeafInSettlement) => settlement.timestamp,
    relay: ({ settlement }: LeafInSettlement) => settlement.relay,
    abi: ({ settlement }: LeafInSettlement) => settlement.abi,
    signer: ({ settlement }: LeafInSettlement) => settlement.signer,
    official: ({ settlement }: LeafInSettlement) => settlement.official,
    facilitator: ({ settlement }: LeafInSettlement) => settlement.signer,
    merkleRoot: ({ settlement }: LeafInSettlement) => settlement.merkleRoot,
    blobId: ({ settlement }: LeafInSettlement) => settlement.blobId,
    blobStatus: ({ settlement }: LeafInSettlement) => settlement.blobStatus,
    leafIndex: ({ leaf }: LeafInSettlement) => leaf.leafIndex,
    proof: async ({ leaf, settlement }: LeafInSettlement, _: unknown, ctx: Context) =>
      (await blobLeafFieldsOf(ctx, leaf, settlement)).proof,
    leafEncoding: ({ leaf }: LeafInSettlement) => leafTypesOf(leaf.encoding),
    leaf: ({ leaf, settlement }: LeafInSettlement, _: unknown, ctx: Context) => {
      // The leaf's proof and signature need its settlement: it is at hand.
      ctx.loaders.settlement.prime(settlement.id, settlement);
      return leaf;
    },
    settlement: ({ settlement }: LeafInSettlement) => settlement,
  },
  ReceiptConnection: connectionResolvers,
};
