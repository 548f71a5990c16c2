import { devnetTeeRegistryAbi, type Leaf } from "@settlescan/abis";
import { HTTPFacilitatorClient } from "@x402/core/server";
import type { Address, Hex, LocalAccount } from "viem";
import { keccak256, stringToHex } from "viem";
import { waitForTransactionReceipt, writeContract } from "viem/actions";
import { createEnclave, type Enclave, inferWith } from "../tees";
import { createExactPaymentPayload, createPayingFetch, type PaidInference, requestInference } from "./client";
import { PaidRequestError } from "./errors";
import type { AccountClient } from "./facilitatorSigner";
import type { InferenceRequest, InferenceResponse } from "./inferenceServer";
import { paymentIdOfPayment } from "./payment";
import { serialQueue } from "./serialQueue";
import { leafToJson, postSettleData, type SettlementMode } from "./settleData";
import { exactUsdcRequirementsOf } from "./usdc";

/** Every outcome live traffic produces, named for the receipt state (or payment state) the indexer should reach. */
export const TRAFFIC_KINDS = [
  "verified",
  "private",
  "never_settled",
  "unpaid",
  "underpaid",
  "invalid_signature",
  "wrong_root",
  "revoked_tee",
  "duplicate",
] as const;

export type TrafficKind = (typeof TRAFFIC_KINDS)[number];

/** Duplicates re-settle an inference from this many recent individually settled ones (already mined). */
const RECENT_ORIGINALS = 32;

/** What the traffic actions act on: the servers, the devnet's accounts, and a source of randomness. */
export type TrafficContext = {
  inferenceUrl: string;
  facilitatorUrl: string;
  /** Who inference payments pay (PAYEE). */
  payTo: Address;
  /** Price of one inference in USDC base units, as the inference server charges it. */
  price: bigint;
  /** Registered, active enclaves the inference server runs. */
  tees: readonly Enclave[];
  /** The TeeRegistry on "og" and a client of its owner (DEPLOYER), for the revoked-TEE case. */
  registry: { address: Address; owner: AccountClient };
  /** Makes the inference server run an enclave registered after it started. */
  addTee: (tee: Enclave) => void;
  /** Share of settlements posted individually rather than in batches (0..1). */
  individualShare: number;
  random: () => number;
};

/** One traffic action's outcome: the receipt id when the kind yields one. */
export type TrafficResult = { kind: TrafficKind; receiptId?: Hex; paymentId?: Hex };

/**
 * Produces one receipt (or payment) of each kind through the real HTTP stack: x402's fetch wrapper pays the
 * inference server, x402's facilitator settles on "base", and proofs go through `/settle_data`.
 * @example const act = trafficActionsOf(context); await act("duplicate", ALICE)
 */
export function trafficActionsOf(context: TrafficContext) {
  const fetchers = new Map<Address, ReturnType<typeof createPayingFetch>>();
  const facilitator = new HTTPFacilitatorClient({ url: context.facilitatorUrl });
  const registrySend = serialQueue();
  const originals: InferenceResponse[] = [];
  let counter = 0;

  const pick = <T>(items: readonly T[]): T => items[Math.floor(context.random() * items.length)] as T;
  const modeOf = (): SettlementMode => (context.random() < context.individualShare ? "individual" : "batch");
  const promptOf = (client: LocalAccount) =>
    `devnet prompt ${++counter} from ${client.address.slice(0, 8)} ${context.random().toString(36).slice(2, 10)}`;
  const payingFetchOf = (client: LocalAccount) => {
    const known = fetchers.get(client.address);
    if (known) return known;
    const fetch = createPayingFetch({ account: client });
    fetchers.set(client.address, fetch);
    return fetch;
  };

  function paidInference(client: LocalAccount, body: Omit<InferenceRequest, "prompt">): Promise<PaidInference> {
    return requestInference({
      fetch: payingFetchOf(client),
      url: context.inferenceUrl,
      body: { prompt: promptOf(client), teeId: pick(context.tees).teeId, ...body },
    });
  }

  function leafOf(inference: InferenceResponse, paymentId: Hex = inference.paymentId): Leaf {
    return {
      paymentId,
      amount: BigInt(inference.amount),
      teeId: inference.teeId,
      inputHash: inference.inputHash,
      outputHash: inference.outputHash,
      signature: inference.signature,
      timestamp: BigInt(inference.timestamp),
    };
  }

  async function registry(functionName: "registerTee" | "revokeTee", args: readonly [Hex] | readonly [Hex, Hex]) {
    const { address, owner } = context.registry;
    const hash = await registrySend(() =>
      writeContract(owner, {
        address,
        abi: devnetTeeRegistryAbi,
        functionName,
        args,
        account: owner.account,
        chain: owner.chain,
      } as Parameters<typeof writeContract>[1]),
    );
    const receipt = await waitForTransactionReceipt(owner, { hash });
    if (receipt.status !== "success") throw new PaidRequestError(`TeeRegistry.${functionName} (tx ${hash}) reverted.`);
  }

  /** A second real x402 payment (no resource server), settled by the facilitator; returns its paymentId. */
  async function payDirectly(client: LocalAccount): Promise<Hex> {
    const requirements = exactUsdcRequirementsOf({ payTo: context.payTo, amount: context.price });
    const payment = await createExactPaymentPayload({ account: client, requirements });
    const settled = await facilitator.settle(payment, requirements);
    if (!settled.success)
      throw new PaidRequestError(`Direct payment did not settle: ${settled.errorReason ?? "no reason given"}.`);
    return paymentIdOfPayment(payment);
  }

  const actions: Record<TrafficKind, (client: LocalAccount) => Promise<TrafficResult>> = {
    async verified(client) {
      const mode = modeOf();
      const { inference } = await paidInference(client, { mode });
      if (mode === "individual") {
        originals.push(inference);
        if (originals.length > RECENT_ORIGINALS) originals.shift();
      }
      return { kind: "verified", receiptId: inference.receiptId, paymentId: inference.paymentId };
    },
    async private(client) {
      const { inference } = await paidInference(client, { mode: "private" });
      return { kind: "private", paymentId: inference.paymentId };
    },
    async never_settled(client) {
      const { inference } = await paidInference(client, { mode: modeOf(), fault: "unsettled" });
      return { kind: "never_settled", paymentId: inference.paymentId };
    },
    async underpaid(client) {
      const { inference } = await paidInference(client, { mode: modeOf(), fault: "underpaid" });
      return { kind: "underpaid", receiptId: inference.receiptId, paymentId: inference.paymentId };
    },
    async invalid_signature(client) {
      const { inference } = await paidInference(client, { mode: modeOf(), fault: "bad_signature" });
      return { kind: "invalid_signature", receiptId: inference.receiptId, paymentId: inference.paymentId };
    },
    async wrong_root(client) {
      const { inference } = await paidInference(client, { mode: "batch", fault: "wrong_root" });
      return { kind: "wrong_root", receiptId: inference.receiptId, paymentId: inference.paymentId };
    },
    async unpaid(client) {
      // A genuine TEE proof citing a payment that never happened.
      const inference = await inferWith(pick(context.tees), promptOf(client));
      const paymentId = keccak256(stringToHex(`unpaid ${counter} ${context.random()}`));
      await postSettleData(context.facilitatorUrl, {
        mode: modeOf(),
        leaf: leafToJson({ ...inference, paymentId, amount: context.price }),
        payer: client.address,
      });
      return { kind: "unpaid", paymentId };
    },
    async duplicate(client) {
      // Re-settle an inference whose proof is already mined, citing a second, real payment.
      const original = originals.shift() ?? (await paidInference(client, { mode: "individual" })).inference;
      const paymentId = await payDirectly(client);
      await postSettleData(context.facilitatorUrl, {
        mode: modeOf(),
        leaf: leafToJson(leafOf(original, paymentId)),
        payer: client.address,
      });
      return { kind: "duplicate", paymentId };
    },
    async revoked_tee(client) {
      // A fresh enclave signs; the registry owner revokes it before its proof is posted.
      const enclave = await createEnclave();
      await registry("registerTee", [enclave.teeId, enclave.publicKey]);
      context.addTee(enclave);
      const { inference } = await paidInference(client, { teeId: enclave.teeId, fault: "unsettled" });
      await registry("revokeTee", [enclave.teeId]);
      await postSettleData(context.facilitatorUrl, {
        mode: modeOf(),
        leaf: leafToJson(leafOf(inference)),
        payer: client.address,
      });
      return { kind: "revoked_tee", receiptId: inference.receiptId, paymentId: inference.paymentId };
    },
  };

  return (kind: TrafficKind, client: LocalAccount) => actions[kind](client);
}
