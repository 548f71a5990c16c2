import { InvalidInputError } from "@settlescan/abis";
import type { PaymentPayload, PaymentRequirements } from "@x402/core/types";
import { Hono } from "hono";
import type { Address } from "viem";
import { createDataWorker, type LinkKind, type PostedSettlement } from "./dataWorker";
import { InvalidRequestError } from "./errors";
import type { AccountClient } from "./facilitatorSigner";
import { createPermit2Facilitator } from "./permit2Facilitator";
import type { BatchThresholds } from "./proofBatcher";
import { relayPosterOf } from "./relay";
import { type SettleDataResponse, settleDataRequestOf } from "./settleData";

export type FacilitatorServerOptions = {
  /** Client on "base" whose account settles x402 payments; without it the server has no payment routes. */
  baseClient?: AccountClient;
  /** Client on "og" whose account posts the official settlements. */
  ogClient: AccountClient;
  /** Client on "og" of an account no profile lists, for the `unofficial` fault. */
  unofficialClient?: AccountClient;
  /** The v3 SettlementRelay on "og". */
  relay: Address;
  /** The v1 (legacy) relay, for the `legacy` fault; FACILITATOR holds its relay role. */
  legacyRelay?: Address;
  /** The blob service (devnet: its base URL is publisher, aggregator and admin API at once). */
  walrus: { publisherUrl: string; adminUrl?: string };
  /** `exact` makes this the exact-link facilitator: exact leaves, every proof citing its payment. */
  link?: LinkKind;
  /** Batch flush thresholds: items, idle milliseconds, age milliseconds (defaults: OpenGradient's 20 / 5 min / 15 min). */
  batch?: BatchThresholds;
  /** Milliseconds before a `withheld` blob is released. */
  releaseAfterMs?: number;
  onSettlement?: (settlement: PostedSettlement) => void;
  /** Called for failures no HTTP caller waits for (batch flushes, background steps). */
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
 * The devnet facilitator: x402's own `x402Facilitator` with the `exact` (EIP-3009 USDC, OPG over Permit2) and `upto`
 * EVM schemes on Base and both gas-sponsoring extensions, behind the standard
 * facilitator API (`POST /verify`, `POST /settle`, `GET /supported`), and OpenGradient's data path: `POST
 * /settle_data` (body `{}`, the proof in `x-settlement-type` / `x-settlement-data`), answered 202 with its
 * settlement job, and `GET /settle/{jobId}`. With `link: "exact"` it is the exact-link facilitator (devnet only):
 * same data path, exact leaves citing the `x-settlement-payment` of each proof, and usually no payment routes.
 * @example
 * const facilitator = createFacilitatorServer({ baseClient, ogClient, relay, walrus: deployment.walrus })
 * const { url } = await serveOnLoopback(facilitator.app.fetch)
 */
export function createFacilitatorServer({
  baseClient,
  ogClient,
  unofficialClient,
  relay,
  legacyRelay,
  walrus,
  link = "none",
  batch,
  releaseAfterMs,
  onSettlement,
  onError = (error) => console.error("[facilitator]", error),
}: FacilitatorServerOptions) {
  // x402's facilitator with `exact` (EIP-3009 and Permit2) and `upto`, and both gas-sponsoring extensions.
  const facilitator = baseClient ? createPermit2Facilitator(baseClient) : undefined;

  const worker = createDataWorker({
    poster: relayPosterOf({ client: ogClient, relay, ...(legacyRelay ? { legacyRelay } : {}) }),
    ...(unofficialClient ? { unofficialPoster: relayPosterOf({ client: unofficialClient, relay }) } : {}),
    walrus,
    link,
    ...(batch ? { batch } : {}),
    ...(releaseAfterMs !== undefined ? { releaseAfterMs } : {}),
    ...(onSettlement ? { onSettlement } : {}),
    onError,
  });

  const app = new Hono();
  if (facilitator)
    app
      .get("/supported", (c) => c.json(facilitator.getSupported()))
      .post("/verify", async (c) => {
        const { paymentPayload, paymentRequirements } = paymentBodyOf(await c.req.json());
        return c.json(await facilitator.verify(paymentPayload, paymentRequirements));
      })
      .post("/settle", async (c) => {
        const { paymentPayload, paymentRequirements } = paymentBodyOf(await c.req.json());
        return c.json(await facilitator.settle(paymentPayload, paymentRequirements));
      });

  app
    .post("/settle_data", async (c) => {
      const job = await worker.submit(settleDataRequestOf((name) => c.req.header(name)));
      const response: SettleDataResponse = job
        ? { settlementJob: { ...job } }
        : { settlementJob: null, notes: "Private settlement ignored by facilitator." };
      return c.json(response, 202);
    })
    .get("/settle/:jobId", (c) => {
      const job = worker.jobOf(c.req.param("jobId"));
      return job ? c.json(job) : c.json({ error: `Settlement job not found: ${c.req.param("jobId")}` }, 404);
    })
    .get("/health", (c) => c.json({ status: "ok" }))
    .onError((error, c) => {
      if (error instanceof InvalidInputError || error instanceof SyntaxError)
        return c.json({ error: error.message }, 400);
      onError(error);
      return c.json({ error: error instanceof Error ? error.message : String(error) }, 500);
    });

  return {
    app,
    facilitator,
    worker,
    /** The account official settlements come from. */
    signer: ogClient.account.address,
    /** Posts the buffered proofs, waits for every settlement to be mined, and releases withheld blobs. */
    close: () => worker.close(),
  };
}

export type FacilitatorServer = ReturnType<typeof createFacilitatorServer>;
