import { inferenceIdOf, paymentIdOf, receiptIdOf } from "@settlescan/abis";
import type { Address, Hex } from "viem";
import { EXPECTED_VERDICT, type Manifest, type ManifestPayment, type ManifestReceipt } from "./manifest";
import { SCENARIO_START_TIME, type ScenarioPlan, SETTLEMENT_WINDOW_SECONDS } from "./scenarioPlan";
import type { TeeKeyName } from "./tees";

export type ScenarioIdentity = {
  chainId: number;
  token: Address;
  payers: Address[];
  teeIds: Record<TeeKeyName, Hex>;
};

/** The IDs every planned payment and leaf will have on chain. */
export function scenarioIdsOf(plan: ScenarioPlan, identity: ScenarioIdentity) {
  const paymentIds = plan.payments.map((p) =>
    paymentIdOf({ chainId: identity.chainId, token: identity.token, payer: identity.payers[p.payer]!, nonce: p.nonce }),
  );
  const inferenceIds = plan.leaves.map((leaf) => inferenceIdOf({ teeId: identity.teeIds[leaf.tee], ...leaf }));
  const receiptIds = plan.leaves.map((leaf, i) =>
    receiptIdOf({ paymentId: paymentIds[leaf.payment]!, inferenceId: inferenceIds[i]! }),
  );
  return { paymentIds, inferenceIds, receiptIds };
}

/**
 * The oracle: every receipt's expected state and checks, and every on-chain payment's expected state at the
 * scenario's final chain time. Derived from the faults the plan injected, not from any verification code.
 */
export function manifestOf(plan: ScenarioPlan, identity: ScenarioIdentity): Manifest {
  const { paymentIds, inferenceIds, receiptIds } = scenarioIdsOf(plan, identity);
  const receipts: ManifestReceipt[] = plan.leaves.map((leaf, i) => ({
    receiptId: receiptIds[i]!,
    paymentId: paymentIds[leaf.payment]!,
    inferenceId: inferenceIds[i]!,
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
        payer: identity.payers[p.payer]!,
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
      };
    });
  return {
    seed: plan.seed,
    receiptCount: receipts.length,
    settlementWindowSeconds: SETTLEMENT_WINDOW_SECONDS,
    chainTime: { start: plan.rounds[0]?.time ?? SCENARIO_START_TIME, end: plan.endTime },
    receipts,
    payments,
  };
}
