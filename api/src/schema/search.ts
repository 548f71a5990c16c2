import { isWalrusBlobId, teeFieldsOf } from "@settlescan/abis";
import { asc, eq, sql } from "drizzle-orm";
import type { Context } from "../context";
import { type LeafRow, rowsOf, run } from "../db";
import { BadInputError } from "../errors";
import { isAddress, isHex32, quoted } from "../inputs";

export const typeDefs = /* GraphQL */ `
  "What a search query turned out to be."
  enum SearchHitKind {
    "A receiptId: the receipt."
    RECEIPT_ID
    "A paymentId: the payment (if on the payment chain) and the receipts citing it."
    PAYMENT_ID
    "The hash of a transaction on the payment chain that carried a payment."
    PAYMENT_TX
    "The hash of a transaction on the verification chain that carried a settlement."
    SETTLEMENT_TX
    "An inferenceId cited by exact-link receipts: every receipt settling that inference (more than one means duplicates)."
    INFERENCE_ID
    """
    An inference, found by its inferenceId or by a response body of OpenGradient's TEE gateway (JSON, or the SSE
    stream) that carries its proof fields.
    """
    INFERENCE
    "The inputHash of settled leaves: how legacy E1 and E2 leaves, which have no inferenceId, are found."
    INPUT_HASH
    "The outputHash of settled leaves: how legacy E1 and E2 leaves, which have no inferenceId, are found."
    OUTPUT_HASH
    "The Merkle root a batch settlement posted."
    MERKLE_ROOT
    "The Walrus blob id a settlement names."
    BLOB_ID
    "A TEE id: the enclave as registered."
    TEE_ID
    "An address that paid: how many payments."
    PAYER
    "An address that was paid: how many payments."
    PAYEE
    "An address that submitted payments (tx.from on the payment chain) or posted settlements (their signer)."
    FACILITATOR
    "A settlement relay contract on the verification chain."
    RELAY
  }

  """
  One thing a search query matched; the field of its kind is set (receipt, payment, settlement, inference, leaves, tee
  or address).
  """
  type SearchHit {
    "What the query matched."
    kind: SearchHitKind!
    "The matched key, normalized (lowercase hex; a blob id as is; the inferenceId a response body defines)."
    key: String!
    "A short sentence saying what matched, e.g. \`Payment 0x12…ab (proven)\`."
    label: String!
    "The receipt of a RECEIPT_ID hit."
    receipt: Receipt
    "The payment of a PAYMENT_ID or PAYMENT_TX hit (null when a paymentId is cited but not on the payment chain)."
    payment: Payment
    "The settlement of a SETTLEMENT_TX, MERKLE_ROOT or BLOB_ID hit."
    settlement: Settlement
    "The inference of an INFERENCE hit."
    inference: Inference
    "The settled leaves of an INPUT_HASH or OUTPUT_HASH hit, oldest first (at most the search's hit limit)."
    leaves: [Leaf!]!
    "The enclave of a TEE_ID hit."
    tee: Tee
    "The receipts of a PAYMENT_ID, INFERENCE_ID or INFERENCE hit."
    receipts: [Receipt!]!
    "For address hits: the address."
    address: String
    """
    For address hits: how many payments (PAYER, PAYEE), payments and settlements (FACILITATOR) or settlements (RELAY)
    it has; for INPUT_HASH and OUTPUT_HASH, how many leaves carry the hash.
    """
    count: Int
  }

  extend type Query {
    """
    Finds what a query is: a 32-byte hex (receipt id, payment id, payment or settlement tx hash, inference id, input or
    output hash, Merkle root, TEE id), a 20-byte address (payer, payee, facilitator, relay), a Walrus blob id, or a
    response body of OpenGradient's TEE gateway pasted whole (JSON, or the SSE stream), whose inference it finds. No
    hit for a receipt or inference id means no settlement carrying it is indexed yet.
    """
    search(
      "What to look up: a hex id or hash, an address, a Walrus blob id or a gateway response body (surrounding whitespace is ignored)."
      query: String!
    ): [SearchHit!]!
  }
`;

type HitRow = { kind: string; id: string; n: number };
type Hit = { kind: string; key: string; id: string; count: number };

const short = (hex: string) => `${hex.slice(0, 6)}…${hex.slice(-4)}`;
const ADDRESS_KINDS = ["PAYER", "PAYEE", "FACILITATOR", "RELAY"];
const HASH_KINDS = ["INPUT_HASH", "OUTPUT_HASH"];

/** Every table a 32-byte value may key, in one statement. */
function hex32Hits(ctx: Context, key: string) {
  const { receipt: r, payment: p, settlement: s, tee, inference: i, leaf: l } = ctx.tables;
  return rowsOf<HitRow>(
    ctx.counter,
    ctx.db,
    sql`
    select 'RECEIPT_ID' as kind, id as id, 1 as n from ${r} where id = ${key}
    union all select 'PAYMENT_ID', id, 1 from ${p} where id = ${key}
    union all (select 'CITED_PAYMENT', payment_id, count(*)::int from ${r} where payment_id = ${key} group by payment_id)
    union all select 'PAYMENT_TX', id, 1 from ${p} where tx_hash = ${key}
    union all select 'SETTLEMENT_TX', id, 1 from ${s} where tx_hash = ${key}
    union all select 'MERKLE_ROOT', id, 1 from ${s} where merkle_root = ${key}
    union all select 'INFERENCE', id, 1 from ${i} where id = ${key}
    union all (select 'INFERENCE_ID', inference_id, count(*)::int from ${r} where inference_id = ${key} group by inference_id)
    union all (select 'INPUT_HASH', input_hash, count(*)::int from ${l} where input_hash = ${key} group by input_hash)
    union all (select 'OUTPUT_HASH', output_hash, count(*)::int from ${l} where output_hash = ${key} group by output_hash)
    union all select 'TEE_ID', id, 1 from ${tee} where id = ${key}`,
  );
}

/** Which roles an address plays, with a count for each, in one statement. */
function addressHits(ctx: Context, key: string) {
  const { payment: p, settlement: s } = ctx.tables;
  return rowsOf<HitRow>(
    ctx.counter,
    ctx.db,
    sql`
    select 'PAYER' as kind, ${key} as id, count(*)::int as n from ${p} where payer = ${key} having count(*) > 0
    union all select 'PAYEE', ${key}, count(*)::int from ${p} where payee = ${key} having count(*) > 0
    union all select 'FACILITATOR', ${key}, (select count(*)::int from ${p} where facilitator = ${key})
      + (select count(*)::int from ${s} where signer = ${key})
    union all select 'RELAY', ${key}, count(*)::int from ${s} where relay = ${key}
    `,
  );
}

/** The settlement naming a blob id. */
async function blobHits(ctx: Context, blobId: string): Promise<HitRow[]> {
  const s = ctx.tables.settlement;
  const rows = await run(
    ctx.counter,
    ctx.db
      .select({ id: s.id })
      .from(s)
      .where(eq(s.blobId, blobId))
      .orderBy(asc(s.blockNumber), asc(s.logIndex))
      .limit(ctx.limits.maxSearchHits),
  );
  return rows.map(({ id }) => ({ kind: "BLOB_ID", id, n: 1 }));
}

/** A gateway response's inferenceId, or the reason the query is not one; null when it does not look like one. */
function responseInferenceOf(query: string): { inferenceId: string } | { error: string } | null {
  const start = query.trimStart();
  const looksLikeBody = start.startsWith("{") || /^(data|event|id|retry)?:/.test(start);
  try {
    return { inferenceId: teeFieldsOf(query).inferenceId.toLowerCase() };
  } catch (error) {
    return looksLikeBody ? { error: error instanceof Error ? error.message : String(error) } : null;
  }
}

export const resolvers = {
  Query: {
    search: async (_: unknown, { query }: { query: string }, ctx: Context): Promise<Hit[]> => {
      const trimmed = query.trim();
      const key = trimmed.toLowerCase();
      let rows: HitRow[];
      let hitKey = key;
      if (isHex32(key)) rows = await hex32Hits(ctx, key);
      else if (isAddress(key)) rows = await addressHits(ctx, key);
      else if (isWalrusBlobId(trimmed)) {
        hitKey = trimmed;
        rows = await blobHits(ctx, trimmed);
      } else {
        const response = responseInferenceOf(query);
        if (response === null)
          throw new BadInputError(
            `Search query ${quoted(query)} is not a 32-byte hex string (receipt, payment, inference, transaction, input or output hash, Merkle root or TEE), a 20-byte address, a Walrus blob id, nor a TEE gateway response body.`,
            { code: "BAD_SEARCH_QUERY" },
          );
        if ("error" in response)
          throw new BadInputError(
            `Search query ${quoted(query)} is not a TEE gateway response with proof fields: ${response.error}`,
            { code: "BAD_SEARCH_QUERY" },
          );
        hitKey = response.inferenceId;
        const inference = await ctx.loaders.inference.load(hitKey as `0x${string}`);
        rows = inference ? [{ kind: "INFERENCE", id: inference.id, n: 1 }] : [];
      }
      // A paymentId both on the payment chain and cited by receipts is one hit; its count is the citing receipts.
      const hits = new Map<string, Hit>();
      for (const row of rows) {
        if (row.n === 0) continue;
        const kind = row.kind === "CITED_PAYMENT" ? "PAYMENT_ID" : row.kind;
        const hit = hits.get(`${kind}:${row.id}`) ?? { kind, key: hitKey, id: row.id, count: 0 };
        if (row.kind !== "PAYMENT_ID") hit.count = row.n;
        hits.set(`${kind}:${row.id}`, hit);
      }
      return [...hits.values()].slice(0, ctx.limits.maxSearchHits);
    },
  },
  SearchHit: {
    label: async (hit: Hit, _: unknown, ctx: Context) => {
      switch (hit.kind) {
        case "RECEIPT_ID": {
          const receipt = await ctx.loaders.receipt.load(hit.id as `0x${string}`);
          return `Receipt ${short(hit.id)} (${receipt?.state})`;
        }
        case "PAYMENT_ID":
        case "PAYMENT_TX": {
          const payment = await ctx.loaders.payment.load(hit.id as `0x${string}`);
          return payment
            ? `Payment ${short(hit.id)} on chain ${payment.chainId}`
            : `Payment ${short(hit.id)}, not on the payment chain, cited by ${hit.count} receipt(s)`;
        }
        case "SETTLEMENT_TX":
        case "MERKLE_ROOT":
        case "BLOB_ID": {
          const settlement = await ctx.loaders.settlement.load(hit.id);
          return `${settlement?.kind === "batch" ? "Batch" : "Individual"} settlement in ${short(settlement?.txHash ?? hit.key)}`;
        }
        case "INFERENCE_ID":
          return `Inference ${short(hit.id)}, settled in ${hit.count} receipt(s)`;
        case "INFERENCE": {
          const inference = await ctx.loaders.inference.load(hit.id as `0x${string}`);
          return `Inference ${short(hit.id)} (${inference?.state})`;
        }
        case "INPUT_HASH":
        case "OUTPUT_HASH":
          return `${hit.kind === "INPUT_HASH" ? "Input" : "Output"} hash ${short(hit.id)}, in ${hit.count} settled leaf(s)`;
        case "TEE_ID":
          return `Enclave ${short(hit.id)}`;
        default:
          return `${hit.kind[0]}${hit.kind.slice(1).toLowerCase()} ${short(hit.id)} (${hit.count})`;
      }
    },
    receipt: (hit: Hit, _: unknown, ctx: Context) =>
      hit.kind === "RECEIPT_ID" ? ctx.loaders.receipt.load(hit.id as `0x${string}`) : null,
    payment: (hit: Hit, _: unknown, ctx: Context) =>
      hit.kind === "PAYMENT_ID" || hit.kind === "PAYMENT_TX" ? ctx.loaders.payment.load(hit.id as `0x${string}`) : null,
    settlement: (hit: Hit, _: unknown, ctx: Context) =>
      ["SETTLEMENT_TX", "MERKLE_ROOT", "BLOB_ID"].includes(hit.kind) ? ctx.loaders.settlement.load(hit.id) : null,
    inference: (hit: Hit, _: unknown, ctx: Context) =>
      hit.kind === "INFERENCE" ? ctx.loaders.inference.load(hit.id as `0x${string}`) : null,
    leaves: (hit: Hit, _: unknown, ctx: Context): Promise<LeafRow[]> | LeafRow[] => {
      if (!HASH_KINDS.includes(hit.kind)) return [];
      const l = ctx.tables.leaf;
      const hash = hit.id as `0x${string}`;
      return run(
        ctx.counter,
        ctx.db
          .select()
          .from(l)
          .where(hit.kind === "INPUT_HASH" ? eq(l.inputHash, hash) : eq(l.outputHash, hash))
          .orderBy(asc(l.blockNumber), asc(l.logIndex), asc(l.leafIndex))
          .limit(ctx.limits.maxSearchHits),
      );
    },
    tee: (hit: Hit, _: unknown, ctx: Context) =>
      hit.kind === "TEE_ID" ? ctx.loaders.tee.load(hit.id as `0x${string}`) : null,
    receipts: (hit: Hit, _: unknown, ctx: Context) =>
      hit.kind === "PAYMENT_ID"
        ? ctx.loaders.receiptsByPayment.load(hit.id as `0x${string}`)
        : hit.kind === "INFERENCE_ID" || hit.kind === "INFERENCE"
          ? ctx.loaders.receiptsByInference.load(hit.id as `0x${string}`)
          : [],
    address: (hit: Hit) => (ADDRESS_KINDS.includes(hit.kind) ? hit.id : null),
    count: (hit: Hit) => (ADDRESS_KINDS.includes(hit.kind) || HASH_KINDS.includes(hit.kind) ? hit.count : null),
  },
};
