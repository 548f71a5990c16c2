import { type Address, type Hex, keccak256, stringToHex } from "viem";
import { DEPLOYER, EXACT_FACILITATOR, FACILITATOR, FACILITATOR_2, PAYEE, UNOFFICIAL_POSTER } from "./accounts";
import type { Fault, PlainFault } from "./manifest";
import { type Prng, prngOf } from "./prng";
import { DEVNET_SESSION_SECONDS } from "./profile";
import { HONEST_TEES, type TeeKeyName } from "./tees";

/** The default share of each exact-link fault: every receipt state appears, most receipts are honest. */
export const DEFAULT_MIX: Record<Fault, number> = {
  none: 0.66,
  split_ok: 0.03,
  unpaid: 0.03,
  underpaid: 0.03,
  split_underpaid: 0.03,
  invalid_signature: 0.03,
  wrong_root: 0.03,
  revoked_tee: 0.03,
  unregistered_tee: 0.02,
  duplicate: 0.04,
  never_settled: 0.04,
  private: 0.03,
};

/** The default share of each fault of the facilitator's (payment-less) inferences: every state and blob status. */
export const DEFAULT_PLAIN_MIX: Record<PlainFault, number> = {
  none: 0.59,
  bad_signature: 0.03,
  unregistered_tee: 0.03,
  disabled_tee: 0.03,
  revoked_pcr: 0.03,
  duplicate: 0.04,
  unofficial: 0.03,
  unofficial_then_official: 0.03,
  mismatched: 0.03,
  pending: 0.03,
  released: 0.03,
  expired: 0.03,
  private: 0.03,
  legacy: 0.04,
};

/** Shares of the legacy v1 calls: `settle`, `batchSettle`, and a few `settleWithMetadata`. */
const LEGACY_MIX = { individual: 0.45, batch: 0.45, metadata: 0.1 } as const;

/** docs/protocol.md: a payment with no verified receipt this long after it was paid (chain time) is overdue. */
export const SETTLEMENT_WINDOW_SECONDS = 15 * 60;
/** Chain time of round 0 (2026-01-01T00:00:00Z): fixed, so the same seed gives the same timestamps. */
export const SCENARIO_START_TIME = 1_767_225_600;
/** Settlement blocks per round on "og", spread over the round so latencies vary. */
const OG_BLOCKS_PER_ROUND = 4;
/** tee-gateway's cap on one `upto` session: 0.1 OPG (18 decimals). */
export const SESSION_CAP = 10n ** 17n;
/** The proof facilitator's official signers on the v3 relay. */
const PROOF_SIGNERS: Address[] = [FACILITATOR.address, FACILITATOR_2.address];

export type ScenarioOptions = {
  seed: string;
  /** Exact-link receipts (payments on "base", exact leaves on "og"). */
  receipts: number;
  /** Inferences of the facilitator's kind (no payment link); as many as `receipts` unless given. */
  inferences?: number;
  mix?: Partial<Record<Fault, number>>;
  plainMix?: Partial<Record<PlainFault, number>>;
  /** Leaves per batch settlement. */
  batchSize?: number;
  /** Share of honest facilitator inferences posted with `settleIndividual` instead of in a batch. */
  individualShare?: number;
  receiptsPerRound?: number;
  /** Chain time the scenario spans, in seconds. */
  spanSeconds?: number;
  payers?: number;
  /** Chain time of round 0; later scenarios on the same chains start after the earlier one's end. */
  startTime?: number;
  payees?: Address[];
  /** The x402 facilitators that submit the payments on "base". */
  facilitators?: Address[];
  /**
   * OPG `upto` session payments over Permit2 (one settlement per session, as OpenGradient's gateway sends), paid by the
   * payers of the round's individually settled inferences to the enclaves' `paymentAddress`. Default 0: the plan is
   * then exactly what it was before sessions existed.
   */
  sessions?: number;
  /** The enclaves' registered `paymentAddress` and the gateway's session window (the profile's `gateways`). */
  gateway?: Partial<ScenarioGateway>;
};

/** What the §4 session link reads of the gateway: where the enclaves are paid, and its session times. */
export type ScenarioGateway = { paymentAddress: Address; sessionIdleSeconds: number; sessionMaxSeconds: number };

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
  /** `eip3009`: USDC `transferWithAuthorization`; `permit2_upto`: an OPG session settled through x402's upto proxy. */
  scheme: "eip3009" | "permit2_upto";
  /** The `upto` authorization's cap (OPG units); null for EIP-3009. */
  maxAmount: bigint | null;
};

/** What an inference leaf holds besides its signature. */
type InferenceFields = { tee: TeeKeyName; inputHash: Hex; outputHash: Hex; timestamp: bigint };

/** One exact-link receipt: an exact leaf citing a payment. */
export type PlannedLeaf = InferenceFields & {
  receipt: number;
  round: number;
  fault: Fault;
  payment: number;
  amount: bigint;
  /** A duplicate re-uses this earlier leaf's inference (and signature). */
  copyOf?: number;
  tamperSignature: boolean;
  settlement: "batch" | "none";
};

/** One inference of the facilitator's kind: E3 leaf or individual settlement, no payment. */
export type PlannedInference = InferenceFields & {
  index: number;
  round: number;
  fault: PlainFault;
  /** A duplicate re-settles this earlier inference. */
  copyOf?: number;
  tamperSignature: boolean;
  /** How its official settlement posts it (`unofficial` ones: the unofficial batch); `none`: nothing posted. */
  route: "batch" | "individual" | "none";
  /** Index of the payer an individual settlement names as `ethAddress`. */
  payer: number;
};

/** One legacy (v1) leaf: hashes only. */
export type PlannedLegacy = {
  index: number;
  round: number;
  kind: "individual" | "batch" | "metadata";
  inputHash: Hex;
  outputHash: Hex;
};

/** What the blob service does with a batch's blob: serve it, withhold it (for good or until the last round), expire it, or serve a blob that does not rebuild the posted root. */
export type BlobTreatment = "available" | "pending" | "released" | "expired" | "mismatched";

/** One settlement transaction. */
export type PlannedSettlement = {
  index: number;
  round: number;
  ogBlock: number;
  population: "exact" | "plain" | "legacy";
  kind: "batch" | "individual";
  abi: "v3" | "v1";
  signer: Address;
  official: boolean;
  /** v3 batches only. */
  blob: BlobTreatment | null;
  /** Indexes into the population's list: `leaves`, `inferences` or `legacy`. */
  items: number[];
};

/** A registry change at the start of a round's og blocks. */
export type RegistryAction = { action: "revokePCR" | "disableTEE"; tee: TeeKeyName };

export type PlannedRound = {
  round: number;
  time: number;
  payments: number[];
  /** Indexes into `settlements`. */
  settlements: number[];
  ogBlockTimes: number[];
  registry: RegistryAction[];
};

export type ScenarioPlan = {
  seed: string;
  rounds: PlannedRound[];
  payments: PlannedPayment[];
  leaves: PlannedLeaf[];
  inferences: PlannedInference[];
  legacy: PlannedLegacy[];
  settlements: PlannedSettlement[];
  payerCount: number;
  /** The final og block (at `endTime`) holds this enclave's heartbeat, so indexers re-check pending blobs then. */
  heartbeat: { tee: TeeKeyName; timestamp: bigint };
  endTime: number;
  gateway: ScenarioGateway;
};

/**
 * Lays out a scenario deterministically from its seed: payments per round, exact-link receipts and facilitator
 * inferences with their faults, the settlements posting them, and when enclaves are revoked and disabled. Nothing
 * here touches a chain.
 */
export function planScenario(options: ScenarioOptions): ScenarioPlan {
  const { seed, receipts, batchSize = 100, individualShare = 0.1, spanSeconds = 2 * 3600 } = options;
  const plainCount = options.inferences ?? receipts;
  const rng = prngOf(seed);
  const mix = { ...DEFAULT_MIX, ...options.mix };
  const plainMix = { ...DEFAULT_PLAIN_MIX, ...options.plainMix };
  // At least two rounds, so an enclave can be revoked between them.
  const perRound = Math.max(
    1,
    Math.min(options.receiptsPerRound ?? 250, Math.ceil(Math.max(receipts, plainCount) / 2)),
  );
  const roundCount = Math.max(2, Math.ceil(Math.max(receipts, plainCount) / perRound));
  // Whole minutes (so no payment sits exactly at the settlement window's edge, see `endTime`), at most ten, so
  // the last round's unsettled payments are still awaiting their proof at the end while earlier ones are overdue.
  const roundSeconds = Math.min(600, Math.max(60, Math.floor(spanSeconds / roundCount / 60) * 60));
  const revokeRound = Math.floor(roundCount / 2);
  const lastRound = roundCount - 1;
  const payerCount = options.payers ?? Math.max(1, Math.min(Math.max(receipts, plainCount), 200));
  const payees = options.payees ?? [syntheticAddress(seed, "payee", 0)];
  const facilitators = options.facilitators ?? [syntheticAddress(seed, "facilitator", 0)];
  const sessionCount = options.sessions ?? 0;
  let sessionsPlanned = 0;
  const sessionRng = prngOf(`${seed} sessions`);
  const gateway: ScenarioGateway = {
    paymentAddress: PAYEE.address,
    sessionIdleSeconds: DEVNET_SESSION_SECONDS.idle,
    sessionMaxSeconds: DEVNET_SESSION_SECONDS.max,
    ...options.gateway,
  };

  const payments: PlannedPayment[] = [];
  const leaves: PlannedLeaf[] = [];
  const inferences: PlannedInference[] = [];
  const legacy: PlannedLegacy[] = [];
  const settlements: PlannedSettlement[] = [];
  const rounds: PlannedRound[] = [];
  /** Proven exact leaves / facilitator inferences of enclaves that stay enabled: what duplicates copy. */
  const provenLeaves: number[] = [];
  const provenInferences: number[] = [];

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
      registry:
        round === revokeRound
          ? [
              { action: "revokePCR", tee: "tee-revoked" },
              { action: "disableTEE", tee: "tee-disabled" },
            ]
          : [],
    };
    // Before their revocation, the enclaves to be revoked and disabled serve honest batches too: those stay proven.
    const batchTees: TeeKeyName[] = round < revokeRound ? [...HONEST_TEES, "tee-revoked", "tee-disabled"] : HONEST_TEES;
    const pickTee = (tees: TeeKeyName[]) => tees[rng.int(0, tees.length - 1)]!;
    const newFields = (tee: TeeKeyName): InferenceFields => ({
      tee,
      inputHash: rng.bytes32(),
      outputHash: rng.bytes32(),
      timestamp: BigInt(time - rng.int(1, 30)),
    });

    // Exact-link receipts.
    const roundLeaves: number[] = [];
    const previousLeaves = provenLeaves.length;
    const leafTarget = Math.min(receipts, Math.ceil(((round + 1) * receipts) / roundCount));
    while (leaves.length < leafTarget) {
      let fault = rng.pick(mix);
      if (fault === "revoked_tee" && round < revokeRound) fault = "none";
      if (fault === "duplicate" && previousLeaves === 0) fault = "none";
      if ((fault === "split_ok" || fault === "split_underpaid") && leafTarget - leaves.length < 2) fault = "none";

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
      const tee: TeeKeyName =
        fault === "revoked_tee"
          ? rng.float() < 0.5
            ? "tee-revoked"
            : "tee-disabled"
          : fault === "unregistered_tee"
            ? "tee-unregistered"
            : pickTee(batchTees);

      for (const amount of claims) {
        const copyOf = fault === "duplicate" ? provenLeaves[rng.int(0, previousLeaves - 1)] : undefined;
        const original = copyOf === undefined ? undefined : leaves[copyOf]!;
        const leaf: PlannedLeaf = {
          ...(original
            ? {
                tee: original.tee,
                inputHash: original.inputHash,
                outputHash: original.outputHash,
                timestamp: original.timestamp,
              }
            : newFields(tee)),
          receipt: leaves.length,
          round,
          fault,
          payment,
          amount,
          copyOf,
          tamperSignature: fault === "invalid_signature",
          settlement: fault === "never_settled" || fault === "private" ? "none" : "batch",
        };
        // Duplicates copy honest receipts of enclaves that stay enabled, so only uniqueness can fail.
        if (fault === "none" && HONEST_TEES.includes(leaf.tee)) provenLeaves.push(leaf.receipt);
        leaves.push(leaf);
        roundLeaves.push(leaf.receipt);
      }
    }

    // The facilitator's inferences (and legacy v1 leaves).
    const roundInferences: number[] = [];
    const roundLegacy: number[] = [];
    const previousInferences = provenInferences.length;
    const plainTarget = Math.min(plainCount, Math.ceil(((round + 1) * plainCount) / roundCount));
    while (inferences.length + legacy.length < plainTarget) {
      let fault = rng.pick(plainMix);
      if ((fault === "disabled_tee" || fault === "revoked_pcr") && round < revokeRound) fault = "none";
      if (fault === "duplicate" && previousInferences === 0) fault = "none";
      // A released blob is released before the last round's og blocks: it must be posted earlier.
      if (fault === "released" && round === lastRound) fault = "none";
      if (fault === "legacy") {
        legacy.push({
          index: legacy.length,
          round,
          kind: rng.pick(LEGACY_MIX),
          inputHash: rng.bytes32(),
          outputHash: rng.bytes32(),
        });
        roundLegacy.push(legacy.length - 1);
        continue;
      }
      // `settleIndividual` asks the verifier, which wants an enabled enclave: only honest, unchanged inferences.
      const individual = (fault === "none" || fault === "unofficial_then_official") && rng.float() < individualShare;
      const tee: TeeKeyName =
        fault === "unregistered_tee"
          ? "tee-unregistered"
          : fault === "disabled_tee"
            ? "tee-disabled"
            : fault === "revoked_pcr"
              ? "tee-revoked"
              : fault === "none" && !individual
                ? pickTee(batchTees)
                : pickTee(HONEST_TEES);
      const copyOf = fault === "duplicate" ? provenInferences[rng.int(0, previousInferences - 1)] : undefined;
      const original = copyOf === undefined ? undefined : inferences[copyOf]!;
      const inference: PlannedInference = {
        ...(original
          ? {
              tee: original.tee,
              inputHash: original.inputHash,
              outputHash: original.outputHash,
              timestamp: original.timestamp,
            }
          : newFields(tee)),
        index: inferences.length,
        round,
        fault,
        copyOf,
        tamperSignature: fault === "bad_signature",
        route: fault === "private" ? "none" : individual ? "individual" : "batch",
        payer: rng.int(0, payerCount - 1),
      };
      if (fault === "none" && HONEST_TEES.includes(inference.tee)) provenInferences.push(inference.index);
      inferences.push(inference);
      roundInferences.push(inference.index);
    }

    // OPG sessions: mostly paid by the payers of this round's individual settlements (whose ethAddress names them),
    // drawn from their own stream so the rest of the plan is the same with or without them.
    const sessionTarget = Math.ceil(((round + 1) * sessionCount) / roundCount);
    const individualPayers = roundInferences
      .filter((i) => inferences[i]!.route === "individual")
      .map((i) => inferences[i]!.payer);
    for (; sessionsPlanned < sessionTarget; sessionsPlanned++) {
      const index = payments.length;
      payments.push({
        index,
        round,
        payer:
          individualPayers.length > 0 && sessionRng.float() < 0.8
            ? individualPayers[sessionRng.int(0, individualPayers.length - 1)]!
            : sessionRng.int(0, payerCount - 1),
        payee: gateway.paymentAddress,
        facilitator: facilitators[sessionRng.int(0, facilitators.length - 1)]!,
        nonce: sessionRng.bytes32(),
        // What the session's inferences cost: up to the cap, in whole gwei of OPG.
        amount: BigInt(sessionRng.int(1, 100_000_000)) * 10n ** 9n,
        onChain: true,
        private: false,
        scheme: "permit2_upto",
        maxAmount: SESSION_CAP,
      });
      plannedRound.payments.push(index);
    }

    const add = (settlement: Omit<PlannedSettlement, "index" | "round" | "ogBlock">, ogBlock?: number) => {
      const index = settlements.length;
      settlements.push({
        ...settlement,
        index,
        round,
        // Unofficial posts come first in a round, so an inference posted unofficially then officially is in that order.
        ogBlock: ogBlock ?? rng.int(settlement.official ? 1 : 0, settlement.official ? OG_BLOCKS_PER_ROUND - 1 : 0),
      });
      plannedRound.settlements.push(index);
    };
    const batches = (
      items: number[],
      fields: Pick<PlannedSettlement, "population" | "abi" | "blob" | "official"> & { signers: readonly Address[] },
    ) => {
      for (let i = 0; i < items.length; i += batchSize)
        add({
          population: fields.population,
          kind: "batch",
          abi: fields.abi,
          signer: fields.signers[rng.int(0, fields.signers.length - 1)]!,
          official: fields.official,
          blob: fields.blob,
          items: items.slice(i, i + batchSize),
        });
    };

    const exactSettled = roundLeaves.filter((i) => leaves[i]!.settlement === "batch");
    const exact = { population: "exact", abi: "v3", official: true, signers: [EXACT_FACILITATOR.address] } as const;
    batches(
      exactSettled.filter((i) => leaves[i]!.fault !== "wrong_root"),
      { ...exact, blob: "available" },
    );
    batches(
      exactSettled.filter((i) => leaves[i]!.fault === "wrong_root"),
      { ...exact, blob: "mismatched" },
    );

    const plain = (i: number) => inferences[i]!;
    const official = { population: "plain", abi: "v3", official: true, signers: PROOF_SIGNERS } as const;
    batches(
      roundInferences.filter((i) => plain(i).fault === "unofficial" || plain(i).fault === "unofficial_then_official"),
      { ...official, official: false, signers: [UNOFFICIAL_POSTER.address], blob: "available" },
    );
    for (const i of roundInferences.filter((i) => plain(i).route === "individual"))
      add({ ...official, kind: "individual", signer: PROOF_SIGNERS[rng.int(0, 1)]!, blob: null, items: [i] });
    const blobOf: Partial<Record<PlainFault, BlobTreatment>> = {
      mismatched: "mismatched",
      pending: "pending",
      released: "released",
      expired: "expired",
    };
    batches(
      roundInferences.filter(
        (i) => plain(i).route === "batch" && plain(i).fault !== "unofficial" && blobOf[plain(i).fault] === undefined,
      ),
      { ...official, blob: "available" },
    );
    for (const [fault, blob] of Object.entries(blobOf))
      batches(
        roundInferences.filter((i) => plain(i).fault === fault),
        { ...official, blob },
      );

    const legacyRelay = {
      population: "legacy",
      abi: "v1",
      official: true,
      blob: null,
      signer: FACILITATOR.address,
    } as const;
    for (const i of roundLegacy.filter((i) => legacy[i]!.kind !== "batch"))
      add({ ...legacyRelay, kind: "individual", items: [i] });
    batches(
      roundLegacy.filter((i) => legacy[i]!.kind === "batch"),
      { ...legacyRelay, signers: [FACILITATOR.address] },
    );
    rounds.push(plannedRound);
  }

  const lastTime = rounds[rounds.length - 1]!.time;
  // After the last round's blocks, and half a minute off the minute grid: no payment is ever exactly
  // SETTLEMENT_WINDOW_SECONDS old at the end.
  const endTime = lastTime + roundSeconds + 30;
  return {
    seed,
    rounds,
    payments,
    leaves,
    inferences,
    legacy,
    settlements,
    payerCount,
    heartbeat: { tee: HONEST_TEES[0]!, timestamp: BigInt(endTime - 10) },
    endTime,
    gateway,
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
    scheme: "eip3009",
    maxAmount: null,
  });
  if (fields.onChain) round.payments.push(index);
  return index;
}

/** A stand-in address for plans made without a deployment (pure tests). */
function syntheticAddress(seed: string, role: string, index: number): Address {
  return `0x${keccak256(stringToHex(`${seed} ${role} ${index}`)).slice(26)}` as Address;
}

/** Who sends the registry changes and the final heartbeat (the registry's admin; anyone may relay a heartbeat). */
export const REGISTRY_ADMIN = DEPLOYER.address;
