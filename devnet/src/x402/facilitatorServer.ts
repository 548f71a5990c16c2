import { InvalidInputError } from "@settlescan/abis";
import { x402Facilitator } from "@x402/core/facilitator";
import type { PaymentPayload, PaymentRequirements } from "@x402/core/types";
import { registerExactEvmScheme } from "@x402/evm/exact/facilitator";
import { Hono } from "hono";
import type { Address } from "viem";
import { InvalidRequestError } from "./errors";
import { type AccountClient, facilitatorSignerOf } from "./facilitatorSigner";
import { createProofBatcher, type PostedBatch } from "./proofBatcher";
import { relayPosterOf } from "./relay";
import { type SettleDataResponse, settleDataRequestFromJson } from "./settleData";
import { BASE_NETWORK } from "./usdc";

export type FacilitatorServerOptions = {
  /** Client on "base" whose account (FACILITATOR) submits `transferWithAuthorization`. */
  baseClient: AccountClient;
  /** Client on "og" whose account (a relay-authorized facilitator) posts settlement proofs. */
  ogClient: AccountClient;
  /** SettlementRelay address on "og". */
  relay: Address;
  /** Batch flush thresholds: N leaves or T milliseconds after the first. */
  batch?: { maxLeaves?: number; maxWaitMs?: number };
  /** Called after each batch is mined. */
  onBatchPosted?: (batch: PostedBatch) => void;
  /** Called when a queued batch fails to post (the HTTP caller has already been answered). */
  onError?: (error: unknown) => void;
};

function paymentBodyOf(json: unknown): { paymentPayload: PaymentPayload; paymentRequirements: PaymentRequirements } {
  const { paymentPayload, paymentRequirements } = (json ?? {}) as Record<string, unknown>;
  if (typeof paymentPayload !== "object" || paymentPayload === null)
    throw new InvalidRequestError(`paymentPayload is "${String(paymentPayload)}"; expected an x402 PaymentPayload.`);
  if (typeof paymentRequirements !== "object" || paymentRequirements === null)
    throw new InvalidRequestError(
      `paymentRequirements is "${String(paymentRequirements)}"; expected x402 PaymentRequirements.`,
    );
  return {
    paymentPayload: paymentPayload as PaymentPayload,
    paymentRequirements: paymentRequirements as PaymentRequirements,
  };
}

/**
 * The devnet facilitator: x402's own `x402Facilitator` with the exact EVM scheme on Base behind the standard
 * facilitator HTTP API (`POST /verify`, `POST /settle`, `GET /supported`), plus OpenGradient-style
 * `POST /settle_data`, which posts TEE proofs through the SettlementRelay on "og" (privately, individually or
 * in StandardMerkleTree batches).
 * @example
 * const facilitator = createFacilitatorServer({ baseClient, ogClient, relay })
 * const { url } = await serveOnLoopback(facilitator.app.fetch)
 */
export function createFacilitatorServer({
  baseClient,
  ogClient,
  relay,
  batch = {},
  onBatchPosted,
  onError = (error) => console.error("[facilitator]", error),
}: FacilitatorServerOptions) {
  const facilitator = new x402Facilitator();
  registerExactEvmScheme(facilitator, { signer: facilitatorSignerOf(baseClient), networks: BASE_NETWORK });

  const poster = relayPosterOf({ client: ogClient, relay });
  const batcher = createProofBatcher({
    ...batch,
    async postBatch(b) {
      const transaction = await poster.postBatch(b);
      onBatchPosted?.({ ...b, transaction });
      return transaction;
    },
  });

  const app = new Hono()
    .get("/supported", (c) => c.json(facilitator.getSupported()))
    .post("/verify", async (c) => {
      const { paymentPayload, paymentRequirements } = paymentBodyOf(await c.req.json());
      return c.json(await facilitator.verify(paymentPayload, paymentRequirements));
    })
    .post("/settle", async (c) => {
      const { paymentPayload, paymentRequirements } = paymentBodyOf(await c.req.json());
      return c.json(await facilitator.settle(paymentPayload, paymentRequirements));
    })
    .post("/settle_data", async (c) => {
      const request = settleDataRequestFromJson(await c.req.json());
      let response: SettleDataResponse;
      switch (request.mode) {
        case "private":
          response = { mode: "private", status: "skipped" };
          break;
        case "individual":
          response = {
            mode: "individual",
            status: "posted",
            transaction: await poster.postIndividual(request.leaf, request.payer),
          };
          break;
        case "batch":
          batcher.add(request.leaf, request.fault ? { fault: request.fault } : {}).catch(onError);
          response = { mode: "batch", status: "queued", queued: batcher.pending };
          break;
      }
      return c.json(response);
    })
    .onError((error, c) => {
      if (error instanceof InvalidInputError || error instanceof SyntaxError)
        return c.json({ error: error.message }, 400);
      onError(error);
      return c.json({ error: error instanceof Error ? error.message : String(error) }, 500);
    });

  return {
    app,
    facilitator,
    batcher,
    /** Posts the queued proofs and stops the batch timers. */
    close: () => batcher.close(),
  };
}

export type FacilitatorServer = ReturnType<typeof createFacilitatorServer>;
