import { type Address, type Hex, keccak256, stringToHex } from "viem";
import type { Fault, ManifestReceipt } from "./manifest";
import { type Prng, prngOf } from "./prng";
import type { TeeKeyName } from "./tees";

/** The default share of each fault in a scenario: every receipt state appears, most receipts are honest. */
export const DEFAULT_MIX: Record<Fault, number> = {
  none: 0.66,
  split_ok: 0.03,
  unpaid: 0.03,
  underpaid: 0.03,
  split_underpaid: 0.03,
  invalid_signature: 0.03,
  wrong_root: 0.03,
  revoked_tee: 0.03,
  tee_key_mismatch: 0.02,
  duplicate: 0.04,
  never_settled: 0.04,
  private: 0.03,
};

/** DESIGN.md §4: a payment with no verified receipt this long after it was paid (chain time) is overdue. */
export const SETTLEMENT_WINDOW_SECONDS = 15 * 60;
/** Chain time of round 0 (2026-01-01T00:00:00Z): fixed, so the same seed gives the same timestamps. */
export const SCENARIO_START_TIME = 1_767_225_600;
const HONEST_TEES: TeeKeyName[] = ["tee-alpha", "tee-beta", "tee-gamma"];
/** Settlement blocks per round on "og", spread over the round so latencies vary. */
const OG_BLOCKS_PER_ROUND = 4;

export type ScenarioOptions = {
  seed: string;
  receipts: number;
  mix?: Partial<Record<Fault, number>>;
  /** Leaves per batch settlement. */
  batchSize?: number;
  /** Share of settled receipts posted with `settleIndividual` instead of in a batch. */
  individualShare?: number;
  receiptsPerRound?: number;
  /** Chain time the scenario spans, in seconds. */
  spanSeconds?: number;
  payers?: number;
  /** Chain time of round 0; later scenarios on the same chains start after the earlier one's end. */
  startTime?: number;
  payees?: Address[];
  facilitators?: Address[];
};

export type PlannedPayment = {
  index: number;
  round: number;
  payer: number;
  payee: Address;
  facilitator: Address;
  nonce: Hex;
  amount: bigint;
  /** False for the payment an `unpaid` receipt cites: it is never submitted. */
  onChain: boolean;
  private: boolean;
};

export type PlannedLeaf = {
  receipt: number;
  fault: Fault;
  payment: number;
  amount: bigint;
  tee: TeeKeyName;
  inputHash: Hex;
  outputHash: Hex;
  timestamp: bigint;
  /** A duplicate re-uses this earlier leaf's inference (and signature). */
  copyOf?: number;
  tamperSignature: boolean;
  settlement: ManifestReceipt["settlement"];
};

export type PlannedRound = {
  round: number;
  time: number;
  payments: number[];
  /** Settlement transactions of the round in order: a batch of leaf indexes, or one individual leaf. */
  settlements: { kind: "batch" | "individual"; leaves: number[]; wrongRoot: boolean; ogBlock: number }[];
  ogBlockTimes: number[];
  revoke: TeeKeyName[];
};

export type ScenarioPlan = {
  seed: string;
  rounds: PlannedRound[];
  payments: PlannedPayment[];
  leaves: PlannedLeaf[];
  payerCount: number;
  endTime: number;
};

/**
 * Lays out a scenario deterministically from its seed: payments per round, leaves with their faults, how they
 * are settled, and when the revoked enclave is revoked. Nothing here touches a chain.
 */
export function planScenario(options: ScenarioOptions): ScenarioPlan {
  const { seed, receipts, batchSize = 100, individualShare = 0.1, spanSeconds = 2 * 3600 } = options;
  const rng = prngOf(seed);
  const mix = { ...DEFAULT_MIX, ...options.mix };
  // At least two rounds, so a TEE can be revoked between them.
  const perRound = Math.max(1, Math.min(options.receiptsPerRound ?? 250, Math.ceil(receipts / 2)));
  const roundCount = Math.max(2, Math.ceil(receipts / perRound));
  // Whole minutes (so no payment sits exactly at the settlement window's edge, see `endTime`), at most ten, so
  // the last round's unsettled payments are still awaiting their proof at the end while earlier ones are overdue.
  const roundSeconds = Math.min(600, Math.max(60, Math.floor(spanSeconds / roundCount / 60) * 60));
  const revokeRound = Math.floor(roundCount / 2);
  const payerCount = options.payers ?? Math.max(1, Math.min(receipts, 200));
  const payees = options.payees ?? [syntheticAddress(seed, "payee", 0)];
  const facilitators = options.facilitators ?? [syntheticAddress(seed, "facilitator", 0)];

  const payments: PlannedPayment[] = [];
  const leaves: PlannedLeaf[] = [];
  const rounds: PlannedRound[] = [];
  const honestVerified: number[] = [];

  for (let round = 0; round < roundCount; round++) {
    const time = (options.startTime ?? SCENARIO_START_TIME) + round * roundSeconds;
    const plannedRound: PlannedRound = {
      round,
      time,
      payments: [],
      settlements: [],
      ogBlockTimes: Array.from(
        { length: OG_BLOCKS_PER_ROUND },
        (_, k) => time + Math.floor(((k + 1) * roundSeconds) / (OG_BLOCKS_PER_ROUND + 1)),
      ),
      revoke: round === revokeRound ? ["tee-revoked"] : [],
    };
    const roundLeaves: number[] = [];
    const target = Math.min(receipts, (round + 1) * perRound);
    const previousRoundsVerified = honestVerified.length;

    while (leaves.length < target) {
      let fault = rng.pick(mix);
      if (fault === "revoked_tee" && round < revokeRound) fault = "none";
      if (fault === "duplicate" && previousRoundsVerified === 0) fault = "none";
      if ((fault === "split_ok" || fault === "split_underpaid") && target - leaves.length < 2) fault = "none";

      const payment = addPayment(rng, payments, plannedRound, {
        payerCount,
        payee: payees[rng.int(0, payees.length - 1)]!,
        facilitator: facilitators[rng.int(0, facilitators.length - 1)]!,
        onChain: fault !== "unpaid",
        private: fault === "private",
      });
      const paid = payments[payment]!.amount;
      const claims =
        fault === "underpaid"
          ? [paid + BigInt(rng.int(1, Number(paid / 2n)))]
          : fault === "split_ok"
            ? [paid / 2n, paid - paid / 2n]
            : fault === "split_underpaid"
              ? [(paid * 6n) / 10n, (paid * 6n) / 10n]
              : [paid];
      // Before its revocation, the to-be-revoked enclave serves honest receipts too: they must stay verified.
      const honestTees = round < revokeRound ? [...HONEST_TEES, "tee-revoked" as const] : HONEST_TEES;
      const tee: TeeKeyName =
        fault === "revoked_tee"
          ? "tee-revoked"
          : fault === "tee_key_mismatch"
            ? "tee-mismatch"
            : honestTees[rng.int(0, honestTees.length - 1)]!;

      for (const amount of claims) {
        const copyOf = fault === "duplicate" ? honestVerified[rng.int(0, previousRoundsVerified - 1)] : undefined;
        const original = copyOf === undefined ? undefined : leaves[copyOf]!;
        const settled = fault !== "never_settled" && fault !== "private";
        const leaf: PlannedLeaf = {
          receipt: leaves.length,
          fault,
          payment,
          amount,
          tee: original?.tee ?? tee,
          inputHash: original?.inputHash ?? rng.bytes32(),
          outputHash: original?.outputHash ?? rng.bytes32(),
          timestamp: original?.timestamp ?? BigInt(time - rng.int(1, 30)),
          copyOf,
          tamperSignature: fault === "invalid_signature",
          settlement: !settled
            ? "none"
            : fault !== "wrong_root" && rng.float() < individualShare
              ? "individual"
              : "batch",
        };
        // Duplicates copy honest receipts of enclaves that stay registered, so only uniqueness can fail.
        if (fault === "none" && leaf.tee !== "tee-revoked") honestVerified.push(leaf.receipt);
        leaves.push(leaf);
        roundLeaves.push(leaf.receipt);
      }
    }

    plannedRound.settlements = settlementsOf(rng, leaves, roundLeaves, batchSize);
    rounds.push(plannedRound);
  }

  const lastTime = rounds[rounds.length - 1]!.time;
  return {
    seed,
    rounds,
    payments,
    leaves,
    payerCount,
    // After the last round's blocks, and half a minute off the minute grid: no payment is ever exactly
    // SETTLEMENT_WINDOW_SECONDS old at the end.
    endTime: lastTime + roundSeconds + 30,
  };
}

function addPayment(
  rng: Prng,
  payments: PlannedPayment[],
  round: PlannedRound,
  fields: { payerCount: number; payee: Address; facilitator: Address; onChain: boolean; private: boolean },
) {
  const index = payments.length;
  payments.push({
    index,
    round: round.round,
    payer: rng.int(0, fields.payerCount - 1),
    payee: fields.payee,
    facilitator: fields.facilitator,
    nonce: rng.bytes32(),
    amount: BigInt(rng.int(1_000, 500_000)),
    onChain: fields.onChain,
    private: fields.private,
  });
  if (fields.onChain) round.payments.push(index);
  return index;
}

/** Groups a round's settled leaves into transactions: individual ones, honest batches, and wrong-root batches. */
function settlementsOf(rng: Prng, leaves: PlannedLeaf[], roundLeaves: number[], batchSize: number) {
  const settlements: PlannedRound["settlements"] = [];
  const chunk = (ids: number[], wrongRoot: boolean) => {
    for (let i = 0; i < ids.length; i += batchSize)
      settlements.push({ kind: "batch", leaves: ids.slice(i, i + batchSize), wrongRoot, ogBlock: 0 });
  };
  const settled = roundLeaves.map((i) => leaves[i]!);
  for (const leaf of settled.filter((l) => l.settlement === "individual"))
    settlements.push({ kind: "individual", leaves: [leaf.receipt], wrongRoot: false, ogBlock: 0 });
  chunk(
    settled.filter((l) => l.settlement === "batch" && l.fault !== "wrong_root").map((l) => l.receipt),
    false,
  );
  chunk(
    settled.filter((l) => l.fault === "wrong_root").map((l) => l.receipt),
    true,
  );
  for (const settlement of settlements) settlement.ogBlock = rng.int(0, OG_BLOCKS_PER_ROUND - 1);
  // Duplicates must land after their originals: originals are in earlier rounds, so any block of this round will do.
  return settlements;
}

/** A stand-in address for plans made without a deployment (pure tests). */
function syntheticAddress(seed: string, role: string, index: number): Address {
  return `0x${keccak256(stringToHex(`${seed} ${role} ${index}`)).slice(26)}` as Address;
}
