import { sessionOf, sessionRulesOf } from "@settlescan/indexer/src/lib/sessionLink.ts";
import { and, asc, eq, gte, inArray, lt, lte, type SQL, sql } from "drizzle-orm";
import { blobLeafFieldsOf } from "../blobLeaves";
import type { Context } from "../context";
import { type InferenceRow, type LeafRow, run } from "../db";
import { addressOf, inferenceIdOf, paymentIdOf, teeIdOf } from "../inputs";
import { leafTypesOf } from "../leafEncoding";
import type { LeafInSettlement } from "../loaders";
import { type PageArgs, paginate } from "../pagination";
import { connectionResolvers } from "./connection";
import { paymentProfile } from "./payment";

export const typeDefs = /* GraphQL */ `
  """
  An inference's state: the state of its settled leaf that counts — the first official one that proves it; failing
  that, the first official one; failing that, the first unofficial one ("first" in chain order: block, then log index).
  """
  enum InferenceState {
    "An official settlement includes it, its enclave was attested and its signature verifies."
    proven
    "Its counting official settlement fails inclusion or attestation."
    invalid_proof
    "Only settlements by unknown signers carry it: shown, never counted as proof."
    unofficial
  }

  "The state of one inference in one settlement (a settled leaf)."
  enum SettledLeafState {
    "Official, included, attested, and the first official settlement to prove the inference."
    proven
    "Official, but inclusion or attestation failed."
    invalid_proof
    "Official and valid, but an earlier official settlement already proved the inference."
    duplicate
    "Posted by no known facilitator signer: judged, never counted."
    unofficial
    """
    A leaf of a legacy era (E1 or E2 leaves, v1 relay events): it names no enclave or signature, so no inference and
    nothing to attest; listed under its settlement and found by its input or output hash.
    """
    legacy
  }

  "How an inference is tied to a payment on the payment chain."
  enum LinkKind {
    "The leaf names the paymentId that paid for it (the exact-link extension): a receipt."
    exact
    "A payment from the inference's payer to the enclave's payment address settled within its session's window."
    session
    "Nothing ties it to a payment (batch or private mode, unknown payer)."
    none
  }

  "The checks of an inference (or of one settled leaf): true when passed."
  type InferenceChecks {
    "The leaf is in the settlement: the blob rebuilds the event's Merkle root, or the event's fields are the leaf."
    inclusion: Boolean!
    "keccak256(publicKey) is the TEE id, the enclave was registered, enabled and its PCR approved at the settlement's block, and the RSA-PSS signature verifies."
    attestation: Boolean!
    "The settlement was posted by one of the relay's known facilitator signers."
    provenance: Boolean!
    "Among official settlements, this is the first to prove the inference."
    uniqueness: Boolean!
  }

  """
  An inference as a user of an OpenGradient TEE gateway holds it: \`id = keccak256(abi.encodePacked(teeId, inputHash,
  outputHash, uint256 timestamp))\`, computable from the response body before anything settles. Judged from every
  settlement carrying it.
  """
  type Inference {
    "The inferenceId."
    id: ID!
    "The state of its settled leaf that counts."
    state: InferenceState!
    "The enclave that signed the response: keccak256 of its DER public key."
    teeId: String!
    "keccak256 of the canonical request (the response's tee_request_hash)."
    inputHash: String!
    "keccak256 of the response content (the response's tee_output_hash)."
    outputHash: String!
    "The enclave's response timestamp (tee_timestamp)."
    timestamp: DateTime!
    "The checks of the settled leaf that counts."
    checks: InferenceChecks!
    "Why each failed check of the settled leaf that counts failed."
    reasons: [Reason!]!
    "When the settlement that counts was posted (its block time)."
    settledAt: DateTime!
    "How many settlements carry it; more than one means it was settled again."
    settlementCount: Int!
    "The settled leaf that counts: its state is the inference's."
    settlement: InferenceSettlement!
    "Every settlement carrying it, in chain order (block, then log index, then leaf index)."
    settlements: [InferenceSettlement!]!
    "How it is tied to a payment."
    link: InferenceLink!
    """
    Payments that could have paid for it in a session, for a payer you name (e.g. the address you paid from): the
    payments from \`payer\` to the enclave's registered payment address (the network profile's gateway where the
    registry has none) settled within [timestamp, timestamp + the gateway's idle + max session seconds], earliest
    first. The session link (link.kind session) is the first of them when an individual settlement named that payer.
    """
    sessionCandidates(
      "The payer's address (20-byte hex): who authorized the payment (EIP-3009's from, Permit2's owner)."
      payer: String!
    ): [Payment!]!
    "The enclave as registered; null when no registry registered it."
    tee: Tee
  }

  "One settlement of an inference: the relay event, and the leaf in it."
  type InferenceSettlement {
    "The settled leaf's state."
    state: SettledLeafState!
    "Batch or individual settlement."
    kind: SettlementKind!
    "The verification chain's id."
    chainId: Int!
    "The relay transaction."
    txHash: String!
    "Its block on the verification chain."
    blockNumber: Int!
    "The settlement event's log index."
    logIndex: Int!
    "The block's timestamp."
    timestamp: DateTime!
    "The relay contract that emitted the event."
    relay: String!
    "The event set of that relay."
    abi: RelayAbi!
    "Who sent the transaction (tx.from)."
    signer: String!
    "Whether the signer is one of the relay's known facilitator signers."
    official: Boolean!
    "The root the event claims (batches)."
    merkleRoot: String
    "The Walrus blob id (base64url) the event names; its bytes are served at /blob/{blobId} once archived."
    blobId: String
    "Batches: whether the blob's leaves could be read; individual settlements: whether their archived blob matches the event."
    blobStatus: BlobStatus
    "The leaf's index in the blob's \`values\` (0 for individual settlements)."
    leafIndex: Int!
    "StandardMerkleTree proof of the leaf against merkleRoot, leaf to root (empty for individual settlements)."
    proof: [String!]!
    "The era of the leaf's values."
    encoding: LeafEncoding!
    "The Solidity types of the leaf's values, as the blob's \`leafEncoding\` lists them."
    leafEncoding: [String!]!
    "The leaf's StandardMerkleTree hash (batches)."
    leafHash: String
    "This settled leaf's own checks."
    checks: InferenceChecks!
    "Why each of this leaf's failed checks failed."
    reasons: [Reason!]!
    "The settled leaf, with all its values."
    leaf: Leaf!
    "The whole settlement event."
    settlement: Settlement!
  }

  "How an inference is tied to a payment."
  type InferenceLink {
    "How sure the tie is: exact (the leaf names the payment), session (inferred from payer and time), or none."
    kind: LinkKind!
    "The payment (exact or session links), when it is indexed."
    payment: Payment
    "Exact links: keccak256(abi.encode(paymentId, inferenceId))."
    receiptId: String
    "Exact links: the receipt, with its payment check."
    receipt: Receipt
    """
    The payer an individual settlement named (its ethAddress, when not Permit2 or one of its proxies); null when no
    individual settlement carries the inference. Session links are made from this payer.
    """
    payer: String
    "The payee of its session: the enclave's registered payment address, else the network profile's gateway."
    payee: String
    "The end of its session's window (timestamp + the gateway's idle + max seconds); null without a payer."
    windowEnd: DateTime
  }

  "Which inferences to list; every condition given must hold."
  input InferenceFilter {
    "Any of these states."
    states: [InferenceState!]
    "Signed by this enclave."
    teeId: String
    "Its counting settlement posted at or after."
    from: DateTime
    "Its counting settlement posted before."
    to: DateTime
    "Tied to a payment this way."
    linkKind: LinkKind
    "Tied to this payment (exact or session links)."
    paymentId: String
    "Only inferences an official settlement carries (true: proven or invalid_proof) or none does (false: unofficial)."
    official: Boolean
  }

  "An inference in a page, with the cursor to continue after it."
  type InferenceEdge {
    "Pass as \`after\` to get the inferences that follow this one."
    cursor: String!
    "The inference."
    node: Inference!
  }

  "A page of inferences."
  type InferenceConnection {
    "The page's inferences with their cursors."
    edges: [InferenceEdge!]!
    "The page's inferences."
    nodes: [Inference!]!
    "Whether more pages follow, and where to continue."
    pageInfo: PageInfo!
    "Inferences matching the filter, all pages; counted only when selected."
    totalCount: Int!
  }

  extend type Query {
    """
    An inference by its inferenceId; null while no settlement carrying it is indexed (including a batch whose blob is
    pending).
    """
    inference(
      "The inferenceId: keccak256(abi.encodePacked(teeId, inputHash, outputHash, uint256 timestamp)), 32-byte hex."
      id: ID!
    ): Inference
    "Inferences by the time their counting settlement was posted, newest first (or oldest first with direction ASC)."
    inferences(
      "Only inferences matching every condition given; all of them when omitted."
      where: InferenceFilter
      "DESC (the default): newest settlement first; ASC: oldest first."
      direction: OrderDirection
      "Page size: 20 when omitted, at most 1000."
      first: Int
      "Continue after this cursor: an edge's \`cursor\` or \`pageInfo.endCursor\` of a previous page in the same order."
      after: String
    ): InferenceConnection!
  }
`;

export type InferenceFilter = {
  states?: string[] | null;
  teeId?: string | null;
  from?: bigint | null;
  to?: bigint | null;
  linkKind?: string | null;
  paymentId?: string | null;
  official?: boolean | null;
};

/** The SQL condition of an `InferenceFilter`, with every id checked first. */
export function inferenceWhere(ctx: Context, where: InferenceFilter | null | undefined): SQL | undefined {
  const i = ctx.tables.inference;
  const w = where ?? {};
  return and(
    w.states ? (w.states.length ? inArray(i.state, w.states) : sql`false`) : undefined,
    w.teeId != null ? eq(i.teeId, teeIdOf(w.teeId)) : undefined,
    w.from != null ? gte(i.settledAt, w.from) : undefined,
    w.to != null ? lt(i.settledAt, w.to) : undefined,
    w.linkKind != null ? eq(i.linkKind, w.linkKind) : undefined,
    w.paymentId != null ? eq(i.paymentId, paymentIdOf(w.paymentId)) : undefined,
    w.official != null ? (w.official ? sql`${i.state} <> 'unofficial'` : eq(i.state, "unofficial")) : undefined,
  );
}

const checksOf = (row: InferenceRow | LeafRow) =>
  "checkInclusion" in row
    ? {
        inclusion: row.checkInclusion,
        attestation: row.checkAttestation,
        provenance: row.checkProvenance,
        uniqueness: row.checkUniqueness,
      }
    : {
        inclusion: row.inclusion,
        attestation: row.attestation,
        provenance: row.provenance,
        uniqueness: row.uniqueness,
      };

type Link = {
  kind: string;
  paymentId: `0x${string}` | null;
  receiptId: `0x${string}` | null;
  payer: `0x${string}` | null;
  payee: `0x${string}` | null;
  windowEnd: bigint | null;
};

export const resolvers = {
  Query: {
    inference: (_: unknown, { id }: { id: string }, ctx: Context) => ctx.loaders.inference.load(inferenceIdOf(id)),
    inferences: (
      _: unknown,
      args: PageArgs & { where?: InferenceFilter | null; direction?: "ASC" | "DESC" | null },
      ctx: Context,
    ) => {
      const i = ctx.tables.inference;
      return paginate<InferenceRow>(ctx, {
        table: i,
        id: i.id,
        where: inferenceWhere(ctx, args.where),
        sort: { name: "SETTLED_AT", value: sql`${i.settledAt}`, direction: args.direction ?? "DESC" },
        args,
        sortValueOf: (row) => row.settledAt,
      });
    },
  },
  Inference: {
    checks: checksOf,
    settlement: async (row: InferenceRow, _: unknown, ctx: Context) => {
      const found = await ctx.loaders.leafInSettlement.load(row.countingLeafId);
      if (!found) throw new Error(`Inference ${row.id} counts leaf ${row.countingLeafId}, which is not indexed.`);
      return found;
    },
    settlements: async (row: InferenceRow, _: unknown, ctx: Context) => {
      const found = await ctx.loaders.leafInSettlement.loadMany(row.leaves.map(([, , , leafId]) => leafId));
      return found.filter((f): f is LeafInSettlement => f !== null && !(f instanceof Error));
    },
    link: (row: InferenceRow): Link => ({
      kind: row.linkKind,
      paymentId: row.paymentId,
      receiptId: row.receiptId,
      payer: row.payer,
      payee: row.sessionPayee,
      windowEnd: row.sessionUntil,
    }),
    sessionCandidates: async (row: InferenceRow, args: { payer: string }, ctx: Context) => {
      const payer = addressOf(args.payer, "Payer");
      const profile = paymentProfile();
      const rules = sessionRulesOf({ gateways: profile?.gateways ?? [], payment: profile?.payment ?? {} });
      const paymentAddress = row.sessionPayee ?? (await ctx.loaders.tee.load(row.teeId))?.paymentAddress ?? null;
      const session = sessionOf(rules, { timestamp: row.timestamp, paymentAddress });
      if (!session) return [];
      const p = ctx.tables.payment;
      return run(
        ctx.counter,
        ctx.db
          .select()
          .from(p)
          .where(
            and(
              eq(p.payer, payer),
              eq(p.payee, session.payee.toLowerCase() as `0x${string}`),
              gte(p.paidAt, session.from),
              lte(p.paidAt, session.until),
              // Any scheme, in a token the network accepts (as the indexer's session rule).
              profile
                ? inArray(
                    p.token,
                    profile.payment.tokens.map((t) => t.address.toLowerCase() as `0x${string}`),
                  )
                : undefined,
            ),
          )
          .orderBy(asc(p.paidAt), asc(p.blockNumber), asc(p.logIndex))
          .limit(ctx.limits.maxPageSize),
      );
    },
    tee: (row: InferenceRow, _: unknown, ctx: Context) => ctx.loaders.tee.load(row.teeId),
  },
  InferenceSettlement: {
    state: ({ leaf }: LeafInSettlement) => leaf.state,
    kind: ({ settlement }: LeafInSettlement) => settlement.kind,
    chainId: ({ settlement }: LeafInSettlement) => settlement.chainId,
    txHash: ({ settlement }: LeafInSettlement) => settlement.txHash,
    blockNumber: ({ settlement }: LeafInSettlement) => Number(settlement.blockNumber),
    logIndex: ({ settlement }: LeafInSettlement) => settlement.logIndex,
    timestamp: ({ settlement }: LeafInSettlement) => settlement.timestamp,
    relay: ({ settlement }: LeafInSettlement) => settlement.relay,
    abi: ({ settlement }: LeafInSettlement) => settlement.abi,
    signer: ({ settlement }: LeafInSettlement) => settlement.signer,
    official: ({ settlement }: LeafInSettlement) => settlement.official,
    merkleRoot: ({ settlement }: LeafInSettlement) => settlement.merkleRoot,
    blobId: ({ settlement }: LeafInSettlement) => settlement.blobId,
    blobStatus: ({ settlement }: LeafInSettlement) => settlement.blobStatus,
    leafIndex: ({ leaf }: LeafInSettlement) => leaf.leafIndex,
    proof: async ({ leaf, settlement }: LeafInSettlement, _: unknown, ctx: Context) =>
      (await blobLeafFieldsOf(ctx, leaf, settlement)).proof,
    encoding: ({ leaf }: LeafInSettlement) => leaf.encoding,
    leafEncoding: ({ leaf }: LeafInSettlement) => leafTypesOf(leaf.encoding),
    leafHash: ({ leaf }: LeafInSettlement) => leaf.leafHash,
    checks: ({ leaf }: LeafInSettlement) => checksOf(leaf),
    reasons: ({ leaf }: LeafInSettlement) => leaf.reasons,
    leaf: ({ leaf, settlement }: LeafInSettlement, _: unknown, ctx: Context) => {
      // The leaf's proof and signature need its settlement: it is at hand.
      ctx.loaders.settlement.prime(settlement.id, settlement);
      return leaf;
    },
    settlement: ({ settlement }: LeafInSettlement) => settlement,
  },
  InferenceLink: {
    payment: (link: Link, _: unknown, ctx: Context) =>
      link.paymentId ? ctx.loaders.payment.load(link.paymentId) : null,
    receipt: (link: Link, _: unknown, ctx: Context) =>
      link.receiptId ? ctx.loaders.receipt.load(link.receiptId) : null,
  },
  InferenceConnection: connectionResolvers,
};
