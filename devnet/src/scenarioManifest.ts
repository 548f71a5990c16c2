import {
  type E1Leaf,
  type E3Leaf,
  type ExactLeaf,
  e1,
  e3,
  exact,
  individualBlobOf,
  inferenceIdOf,
  OPG_ADDRESS_BASE,
  PERMIT2_ADDRESS,
  paymentIdOf,
  receiptIdOf,
  treeDumpOf,
} from "@settlescan/abis";
import { type Address, type Hex, hexToBytes, keccak256 } from "viem";
import {
  ATTESTATION_FAULTS,
  EXPECTED_VERDICT,
  type InferenceChecks,
  type Manifest,
  type ManifestInference,
  type ManifestLink,
  type ManifestPayment,
  type ManifestReceipt,
  type ManifestSettlement,
} from "./manifest";
import {
  type PlannedSettlement,
  SCENARIO_START_TIME,
  type ScenarioPlan,
  SETTLEMENT_WINDOW_SECONDS,
} from "./scenarioPlan";
import { type Tee, type TeeKeyName, tamperedSignatureOf } from "./tees";
import { devnetBlobIdOf } from "./walrus/blobService";

/** What the scenario's ids and signatures depend on besides the plan. */
export type ScenarioIdentity = {
  /** The payment chain's id and token (paymentIds). */
  chainId: number;
  token: Address;
  /** OPG and Permit2 (session payments; Permit2 is their paymentId's authority); their Base addresses by default. */
  opg?: Address;
  permit2?: Address;
  /** Address of each planned payer. */
  payers: Address[];
  /** The devnet's enclaves (teeIds and their signers). */
  tees: Record<TeeKeyName, Tee>;
};

/** A settlement with what it posts: the blob (its bytes and id) and the root its event carries. */
export type BuiltSettlement = PlannedSettlement & {
  /** The blob uploaded: a tree dump (v3 batch) or an individual blob (v3 individual); null for v1. */
  blobText: string | null;
  blobId: string | null;
  /** The root the event carries: the dump's root, or another for a mismatched batch; v1 batches: the E1 root. */
  merkleRoot: Hex | null;
};

/** Where a transaction was mined. */
export type MinedAt = readonly [block: bigint, transactionIndex: number];
/**
 * Where each planned payment was mined, by plan index (absent: not mined, or not read back). A block's transactions
 * from several senders are ordered by the node (by fee), not by the plan.
 */
export type MinedPayments = ReadonlyArray<MinedAt | undefined>;

/** Everything a scenario posts and the oracle judges, computed from the plan without touching a chain. */
export type ScenarioContent = {
  payers: Address[];
  /** The token of each planned payment. */
  assets: Address[];
  paymentIds: Hex[];
  /** Per exact leaf. */
  leafInferenceIds: Hex[];
  receiptIds: Hex[];
  /** Per facilitator inference. */
  inferenceIds: Hex[];
  /** Signatures as posted (tampered ones included), per exact leaf and facilitator inference. */
  leafSignatures: Hex[];
  inferenceSignatures: Hex[];
  settlements: BuiltSettlement[];
};

const base64Of = (hex: Hex) => Buffer.from(hexToBytes(hex)).toString("base64");
const noPrefix = (hex: Hex) => hex.slice(2);

/**
 * Signs every planned inference (reproducibly) and builds what each settlement posts: tree dumps of exact and E3
 * leaves, individual blobs, their blob ids (sha256 of the bytes, as the devnet's blob service names them) and roots.
 */
export function scenarioContentOf(plan: ScenarioPlan, identity: ScenarioIdentity): ScenarioContent {
  const { tees } = identity;
  const paymentIds = plan.payments.map((p) =>
    paymentIdOf({
      chainId: identity.chainId,
      token: p.scheme === "permit2_upto" ? (identity.permit2 ?? PERMIT2_ADDRESS) : identity.token,
      payer: identity.payers[p.payer]!,
      nonce: p.nonce,
    }),
  );
  const idOf = (item: { tee: TeeKeyName; inputHash: Hex; outputHash: Hex; timestamp: bigint }) =>
    inferenceIdOf({ teeId: tees[item.tee].teeId, ...item });
  const leafInferenceIds = plan.leaves.map(idOf);
  const receiptIds = plan.leaves.map((leaf, i) =>
    receiptIdOf({ paymentId: paymentIds[leaf.payment]!, inferenceId: leafInferenceIds[i]! }),
  );
  const inferenceIds = plan.inferences.map(idOf);

  const signatureOf = (
    item: { tee: TeeKeyName; inputHash: Hex; outputHash: Hex; timestamp: bigint; tamperSignature: boolean },
    copied: Hex | undefined,
  ) => {
    if (copied) return copied;
    const signature = tees[item.tee].signReproducibly(item);
    return item.tamperSignature ? tamperedSignatureOf(signature) : signature;
  };
  const leafSignatures: Hex[] = [];
  for (const leaf of plan.leaves)
    leafSignatures.push(signatureOf(leaf, leaf.copyOf === undefined ? undefined : leafSignatures[leaf.copyOf]));
  const inferenceSignatures: Hex[] = [];
  for (const inference of plan.inferences)
    inferenceSignatures.push(
      signatureOf(inference, inference.copyOf === undefined ? undefined : inferenceSignatures[inference.copyOf]),
    );

  const exactLeafOf = (i: number): ExactLeaf => {
    const leaf = plan.leaves[i]!;
    return {
      encoding: "exact",
      teeId: tees[leaf.tee].teeId,
      inputHash: leaf.inputHash,
      outputHash: leaf.outputHash,
      signature: leafSignatures[i]!,
      timestamp: leaf.timestamp,
      paymentId: paymentIds[leaf.payment]!,
      amount: leaf.amount,
    };
  };
  const e3LeafOf = (i: number): E3Leaf => {
    const inference = plan.inferences[i]!;
    return {
      encoding: "e3",
      teeId: tees[inference.tee].teeId,
      inputHash: inference.inputHash,
      outputHash: inference.outputHash,
      signature: inferenceSignatures[i]!,
      timestamp: inference.timestamp,
    };
  };
  const e1LeafOf = (i: number): E1Leaf => ({ encoding: "e1", ...plan.legacy[i]! });

  const settlements = plan.settlements.map((s): BuiltSettlement => {
    if (s.abi === "v1") {
      const merkleRoot = s.kind === "batch" ? treeDumpOf(s.items.map(e1LeafOf), e1).tree[0]! : null;
      return { ...s, blobText: null, blobId: null, merkleRoot };
    }
    if (s.kind === "individual") {
      const i = s.items[0]!;
      const inference = plan.inferences[i]!;
      const blobText = individualBlobOf({ ...individualExchangeOf(i), ethAddress: identity.payers[inference.payer]! });
      return { ...s, blobText, blobId: devnetBlobIdOf(new TextEncoder().encode(blobText)), merkleRoot: null };
    }
    const dump =
      s.population === "exact" ? treeDumpOf(s.items.map(exactLeafOf), exact) : treeDumpOf(s.items.map(e3LeafOf), e3);
    const blobText = JSON.stringify(dump);
    const root = dump.tree[0]!;
    return {
      ...s,
      blobText,
      blobId: devnetBlobIdOf(new TextEncoder().encode(blobText)),
      merkleRoot: s.blob === "mismatched" ? keccak256(root) : root,
    };
  });
  return {
    payers: identity.payers,
    assets: plan.payments.map((p) =>
      p.scheme === "permit2_upto" ? (identity.opg ?? OPG_ADDRESS_BASE) : identity.token,
    ),
    paymentIds,
    leafInferenceIds,
    receiptIds,
    inferenceIds,
    leafSignatures,
    inferenceSignatures,
    settlements,
  };

  /** The request and the gateway's response an individual blob records, with the tee fields of the leaf. */
  function individualExchangeOf(i: number) {
    const inference = plan.inferences[i]!;
    const prompt = `scenario ${plan.seed} inference ${i}`;
    const signature = inferenceSignatures[i]!;
    return {
      input: { model: "devnet-reverse", messages: [{ role: "user", content: prompt }] },
      output: {
        id: `chatcmpl-${noPrefix(inferenceIds[i]!).slice(0, 24)}`,
        object: "chat.completion",
        created: Number(inference.timestamp),
        model: "devnet-reverse",
        choices: [
          { index: 0, message: { role: "assistant", content: [...prompt].reverse().join("") }, finish_reason: "stop" },
        ],
        tee_id: tees[inference.tee].teeId,
        tee_request_hash: noPrefix(inference.inputHash),
        tee_output_hash: noPrefix(inference.outputHash),
        tee_timestamp: Number(inference.timestamp),
        tee_signature: base64Of(signature),
      },
      teeSignature: base64Of(signature),
      teeId: tees[inference.tee].teeId,
      timestamp: inference.timestamp,
    };
  }
}

/** One settled leaf as an indexer will judge it, by the faults the plan injected. */
type ExpectedLeaf = {
  official: boolean;
  readable: boolean;
  inclusion: boolean;
  attestation: boolean;
  kind: "batch" | "individual";
};

const BLOB_STATUS = {
  available: "available",
  released: "available",
  pending: "pending",
  expired: "expired",
  mismatched: "mismatched",
} as const;

/**
 * The oracle: every receipt's, inference's and settlement's expected state, and every on-chain payment's expected
 * state at the scenario's final chain time. Derived from the faults the plan injected (docs/protocol.md's precedence
 * applied to each leaf's injected faults), not from any verification code. `mined`: where the payments were mined
 * (`runScenario` reads it back), which orders a round's payments for the session rule; without it, the plan's order.
 */
export function manifestOf(plan: ScenarioPlan, content: ScenarioContent, mined: MinedPayments = []): Manifest {
  const { paymentIds, leafInferenceIds, receiptIds, inferenceIds } = content;
  const receipts: ManifestReceipt[] = plan.leaves.map((leaf, i) => ({
    receiptId: receiptIds[i]!,
    paymentId: paymentIds[leaf.payment]!,
    inferenceId: leafInferenceIds[i]!,
    fault: leaf.fault,
    ...EXPECTED_VERDICT[leaf.fault],
    settlement: leaf.settlement,
    tee: leaf.tee,
    amount: leaf.amount.toString(),
  }));
  const proven = new Set(receipts.filter((r) => r.state === "verified").map((r) => r.paymentId));
  const payments: ManifestPayment[] = plan.payments
    .filter((p) => p.onChain)
    .map((p) => {
      const paymentId = paymentIds[p.index]!;
      const paidAt = plan.rounds[p.round]!.time;
      return {
        paymentId,
        payer: content.payers[p.payer]!,
        payee: p.payee,
        facilitator: p.facilitator,
        amount: p.amount.toString(),
        paidAt,
        state: proven.has(paymentId)
          ? "proven"
          : plan.endTime - paidAt > SETTLEMENT_WINDOW_SECONDS
            ? "overdue"
            : "awaiting_proof",
        private: p.private,
        scheme: p.scheme,
        asset: content.assets[p.index]!,
        maxAmount: p.maxAmount === null ? null : p.maxAmount.toString(),
        nonce: p.nonce,
        // Filled in once the inferences' links are known.
        linkedState: "awaiting_proof",
      };
    });

  // Every inference id, in plan order (exact ones first), with the leaves settling it in chain order.
  type Entry = Omit<ManifestInference, "state" | "checks" | "settlementCount" | "route" | "link"> & {
    leaves: ExpectedLeaf[];
    timestamp: bigint;
    /** The payment its exact leaf names. */
    exactPaymentId?: Hex;
    /** The `ethAddress` of its first individual settlement in chain order: the payer it makes known. */
    ethAddress?: Address;
  };
  const entries = new Map<Hex, Entry>();
  const entryOf = (inferenceId: Hex, fields: Omit<Entry, "inferenceId" | "leaves">) => {
    const entry = entries.get(inferenceId) ?? { inferenceId, ...fields, leaves: [] };
    entries.set(inferenceId, entry);
    return entry;
  };
  for (const [i, leaf] of plan.leaves.entries()) {
    const entry = entryOf(leafInferenceIds[i]!, {
      population: "exact",
      fault: leaf.fault,
      tee: leaf.tee,
      timestamp: leaf.timestamp,
      exactPaymentId: paymentIds[leaf.payment]!,
    });
    if (leaf.fault === "duplicate") entry.fault = "duplicate";
  }
  for (const [i, inference] of plan.inferences.entries()) {
    const entry = entryOf(inferenceIds[i]!, {
      population: "plain",
      fault: inference.fault,
      tee: inference.tee,
      timestamp: inference.timestamp,
    });
    if (inference.fault === "duplicate") entry.fault = "duplicate";
  }
  const chainOrder = [...plan.settlements].sort(
    (a, b) => a.round - b.round || a.ogBlock - b.ogBlock || a.index - b.index,
  );
  for (const s of chainOrder) {
    if (s.population === "legacy") continue;
    for (const i of s.items) {
      const item = s.population === "exact" ? plan.leaves[i]! : plan.inferences[i]!;
      const inferenceId = s.population === "exact" ? leafInferenceIds[i]! : inferenceIds[i]!;
      const entry = entries.get(inferenceId)!;
      if (s.population === "plain" && s.kind === "individual")
        entry.ethAddress ??= content.payers[plan.inferences[i]!.payer]!;
      entry.leaves.push({
        official: s.official,
        readable: s.blob !== "pending" && s.blob !== "expired",
        inclusion: s.blob !== "mismatched",
        attestation: !ATTESTATION_FAULTS.has(item.fault),
        kind: s.kind,
      });
    }
  }
  const linkOf = sessionLinkerOf(plan, content, mined);
  const inferences: ManifestInference[] = [...entries.values()].map(
    ({ leaves, timestamp, exactPaymentId, ethAddress, ...fields }) => {
      const link: ManifestLink = exactPaymentId
        ? { kind: "exact", paymentId: exactPaymentId }
        : linkOf(ethAddress, timestamp);
      return { ...inferenceOf(leaves, fields), link };
    },
  );
  const sessionProven = new Set(
    inferences.filter((i) => i.link.kind === "session" && i.state === "proven").map((i) => i.link.paymentId),
  );
  for (const payment of payments) payment.linkedState = sessionProven.has(payment.paymentId) ? "proven" : payment.state;

  function inferenceOf(
    leaves: ExpectedLeaf[],
    entry: Omit<ManifestInference, "state" | "checks" | "settlementCount" | "route" | "link">,
  ): Omit<ManifestInference, "link"> {
    const readable = leaves.filter((l) => l.readable);
    const proves = (l: ExpectedLeaf) => l.official && l.inclusion && l.attestation;
    const counting = readable.find(proves) ?? readable.find((l) => l.official) ?? readable[0];
    if (!counting)
      return { ...entry, route: leaves[0]?.kind ?? "none", state: "not_indexed", checks: null, settlementCount: 0 };
    const checks: InferenceChecks = {
      inclusion: counting.inclusion,
      attestation: counting.attestation,
      provenance: counting.official,
      // The counting leaf is the first official one to prove it, or no official leaf proves it: never a duplicate.
      uniqueness: true,
    };
    return {
      ...entry,
      route: counting.kind,
      state: !counting.official ? "unofficial" : proves(counting) ? "proven" : "invalid_proof",
      checks,
      settlementCount: readable.length,
    };
  }

  const settlements: ManifestSettlement[] = content.settlements.map((s) => ({
    population: s.population,
    kind: s.kind,
    abi: s.abi,
    signer: s.signer,
    official: s.official,
    merkleRoot: s.merkleRoot,
    blobId: s.blobId,
    // v1 names no blob; a v3 individual blob follows no treatment (the plan's `blob` is null): it is served as posted.
    blobStatus: s.abi === "v1" ? (s.kind === "individual" ? null : "unavailable") : BLOB_STATUS[s.blob ?? "available"],
    leafCount:
      s.kind === "individual" ? 1 : s.abi === "v1" || s.blob === "pending" || s.blob === "expired" ? 0 : s.items.length,
    round: s.round,
  }));

  return {
    seed: plan.seed,
    receiptCount: receipts.length,
    settlementWindowSeconds: SETTLEMENT_WINDOW_SECONDS,
    chainTime: { start: plan.rounds[0]?.time ?? SCENARIO_START_TIME, end: plan.endTime },
    receipts,
    payments,
    inferences,
    settlements,
    legacy: plan.legacy.map(({ inputHash, outputHash, kind }) => ({ inputHash, outputHash, kind })),
    gateway: plan.gateway,
  };
}

/**
 * The §4 session rule over a plan's on-chain payments (docs/protocol.md): with the payer known (`ethAddress`), the
 * earliest payment from it to the enclaves' `paymentAddress` paid within [timestamp, timestamp + idle + max]; any
 * scheme and token counts. "Earliest" is chain order: the round's time, then the block and transaction index each
 * payment was mined at (`mined`), else the plan's order.
 */
function sessionLinkerOf(plan: ScenarioPlan, content: ScenarioContent, mined: MinedPayments) {
  const { paymentAddress, sessionIdleSeconds, sessionMaxSeconds } = plan.gateway;
  const span = BigInt(sessionIdleSeconds + sessionMaxSeconds);
  type Entry = { paidAt: bigint; paymentId: Hex; index: number };
  const byPayer = new Map<string, Entry[]>();
  for (const round of plan.rounds)
    for (const index of round.payments) {
      const payment = plan.payments[index]!;
      if (payment.payee.toLowerCase() !== paymentAddress.toLowerCase()) continue;
      const payer = content.payers[payment.payer]!.toLowerCase();
      const list = byPayer.get(payer) ?? [];
      list.push({ paidAt: BigInt(round.time), paymentId: content.paymentIds[index]!, index });
      byPayer.set(payer, list);
    }
  // Payments of one round share a block and its time: their transaction order decides, as mined (stable otherwise).
  const minedOrder = (a: Entry, b: Entry) => {
    const [x, y] = [mined[a.index], mined[b.index]];
    if (!x || !y) return 0;
    return x[0] !== y[0] ? (x[0] < y[0] ? -1 : 1) : x[1] - y[1];
  };
  for (const list of byPayer.values())
    list.sort((a, b) => (a.paidAt !== b.paidAt ? (a.paidAt < b.paidAt ? -1 : 1) : minedOrder(a, b)));
  return (payer: Address | undefined, timestamp: bigint): ManifestLink => {
    if (!payer) return { kind: "none" };
    const found = byPayer
      .get(payer.toLowerCase())
      ?.find(({ paidAt }) => paidAt >= timestamp && paidAt <= timestamp + span);
    return found ? { kind: "session", paymentId: found.paymentId } : { kind: "none" };
  };
}
