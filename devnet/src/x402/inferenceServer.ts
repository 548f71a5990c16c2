import { InvalidInputError, inferenceIdOf, type Leaf, receiptIdOf } from "@settlescan/abis";
import { decodePaymentResponseHeader, decodePaymentSignatureHeader } from "@x402/core/http";
import { HTTPFacilitatorClient } from "@x402/core/server";
import { ExactEvmScheme } from "@x402/evm/exact/server";
import { paymentMiddleware, x402ResourceServer } from "@x402/hono";
import { Hono } from "hono";
import { type Address, type Hex, isHex } from "viem";
import { type Enclave, inferWith, tamperedSignatureOf } from "../tees";
import { InvalidRequestError } from "./errors";
import { exactAuthorizationOf, paymentIdOfPayment } from "./payment";
import {
  type FacilitatorFault,
  leafToJson,
  postSettleData,
  SETTLEMENT_MODES,
  type SettleDataResponse,
  type SettlementMode,
} from "./settleData";
import { BASE_NETWORK, DEFAULT_MAX_TIMEOUT_SECONDS, DEFAULT_PRICE, usdcPriceOf } from "./usdc";

/** Route of the paid endpoint. */
export const INFERENCE_PATH = "/v1/inference";

/** Response header carrying the facilitator's `/settle_data` answer (or `{ error }`) as JSON. */
export const SETTLE_DATA_HEADER = "X-Settle-Data";

/**
 * Devnet-only faults an inference request may ask for, so traffic can produce every receipt state:
 * `underpaid` claims twice the price in the leaf, `bad_signature` flips a signature byte, `wrong_root` asks the
 * facilitator for a corrupted batch root, `unsettled` posts no proof at all.
 */
export type InferenceFault = "underpaid" | "bad_signature" | "unsettled" | FacilitatorFault;

export const INFERENCE_FAULTS = [
  "underpaid",
  "bad_signature",
  "unsettled",
  "wrong_root",
] as const satisfies readonly InferenceFault[];

/** Body of `POST /v1/inference`. */
export type InferenceRequest = { prompt: string; mode?: SettlementMode; fault?: InferenceFault; teeId?: Hex };

/** Body of a paid `POST /v1/inference` response. */
export type InferenceResponse = {
  output: string;
  teeId: Hex;
  inputHash: Hex;
  outputHash: Hex;
  timestamp: number;
  signature: Hex;
  paymentId: Hex;
  inferenceId: Hex;
  receiptId: Hex;
  payer: Address;
  /** What was paid, in USDC base units (decimal string). */
  amount: string;
  mode: SettlementMode;
};

type Proof = { leaf: Leaf; payer: Address; mode: SettlementMode; fault?: InferenceFault };

function inferenceRequestOf(
  json: unknown,
  tees: ReadonlyMap<string, Enclave>,
): Required<Omit<InferenceRequest, "fault">> & Pick<InferenceRequest, "fault"> {
  const { prompt, mode = "batch", fault, teeId } = (json ?? {}) as Record<string, unknown>;
  if (typeof prompt !== "string")
    throw new InvalidRequestError(`Prompt "${String(prompt)}" is not a string; send { "prompt": "..." }.`);
  if (!SETTLEMENT_MODES.includes(mode as SettlementMode))
    throw new InvalidRequestError(`Mode "${String(mode)}" is not one of ${SETTLEMENT_MODES.join(", ")}.`);
  if (fault !== undefined && !INFERENCE_FAULTS.includes(fault as InferenceFault))
    throw new InvalidRequestError(`Fault "${String(fault)}" is not one of ${INFERENCE_FAULTS.join(", ")}.`);
  if (fault === "wrong_root" && mode !== "batch")
    throw new InvalidRequestError(`Fault "wrong_root" needs mode "batch"; got mode "${String(mode)}".`);
  const first = tees.keys().next().value as Hex;
  const id = (teeId ?? first) as Hex;
  if (!isHex(id) || !tees.has(id.toLowerCase()))
    throw new InvalidRequestError(
      `TEE "${String(teeId)}" is not served here; known TEEs: ${[...tees.keys()].join(", ")}.`,
    );
  return { prompt, mode: mode as SettlementMode, teeId: id, ...(fault ? { fault: fault as InferenceFault } : {}) };
}

/** The leaf this server posts for a proof, with the requested fault applied. */
export function leafWithFault(leaf: Leaf, fault: InferenceFault | undefined): Leaf {
  switch (fault) {
    case "underpaid":
      return { ...leaf, amount: leaf.amount * 2n };
    case "bad_signature":
      return { ...leaf, signature: tamperedSignatureOf(leaf.signature) };
    default:
      return leaf;
  }
}

export type InferenceServerOptions = {
  /** Base URL of the x402 facilitator (loopback), used for /verify, /settle, /supported and /settle_data. */
  facilitatorUrl: string;
  /** Who gets paid (PAYEE). */
  payTo: Address;
  /** Enclaves the server runs (e.g. the devnet's `loadTees()`); a request picks one by `teeId`, else the first. */
  tees: readonly Enclave[];
  /** Price of one inference in USDC base units. */
  price?: bigint;
  maxTimeoutSeconds?: number;
  onError?: (error: unknown) => void;
};

/**
 * The paid AI endpoint: `POST /v1/inference` behind @x402/hono's `paymentMiddleware` (exact USDC on Base, settled
 * by the facilitator at `facilitatorUrl`). A TEE runs the model and signs the result; once the payment settled,
 * the proof goes to the facilitator's `/settle_data` in the request's mode (default `batch`).
 * @example
 * const server = createInferenceServer({ facilitatorUrl, payTo: PAYEE.address, tees: [tee] })
 * const { url } = await serveOnLoopback(server.app.fetch)
 */
export function createInferenceServer({
  facilitatorUrl,
  payTo,
  tees,
  price = DEFAULT_PRICE,
  maxTimeoutSeconds = DEFAULT_MAX_TIMEOUT_SECONDS,
  onError = (error) => console.error("[inference]", error),
}: InferenceServerOptions) {
  if (tees.length === 0) throw new InvalidRequestError("An inference server needs at least one TEE; got none.");
  const teesById = new Map(tees.map((tee) => [tee.teeId.toLowerCase(), tee]));
  const facilitatorClient = new HTTPFacilitatorClient({ url: facilitatorUrl });
  const resourceServer = new x402ResourceServer(facilitatorClient).register(BASE_NETWORK, new ExactEvmScheme());

  const postProof = ({ leaf, payer, mode, fault }: Proof): Promise<SettleDataResponse> =>
    postSettleData(facilitatorUrl, {
      mode,
      leaf: leafToJson(leafWithFault(leaf, fault)),
      payer,
      ...(fault === "wrong_root" ? { fault } : {}),
    });

  const app = new Hono<{ Variables: { proof?: Proof } }>();

  // Outermost: after the payment middleware settled the payment, hand the proof to the facilitator.
  app.use(INFERENCE_PATH, async (c, next) => {
    await next();
    const proof = c.get("proof");
    const settlement = c.res.headers.get("PAYMENT-RESPONSE");
    if (!proof || c.res.status !== 200 || !settlement || !decodePaymentResponseHeader(settlement).success) return;
    if (proof.fault === "unsettled") return;
    try {
      c.res.headers.set(SETTLE_DATA_HEADER, JSON.stringify(await postProof(proof)));
    } catch (error) {
      onError(error);
      c.res.headers.set(
        SETTLE_DATA_HEADER,
        JSON.stringify({ error: error instanceof Error ? error.message : String(error) }),
      );
    }
  });

  app.use(
    paymentMiddleware(
      {
        [`POST ${INFERENCE_PATH}`]: {
          accepts: {
            scheme: "exact",
            network: BASE_NETWORK,
            payTo,
            price: usdcPriceOf(price),
            maxTimeoutSeconds,
          },
          description: "Deterministic TEE inference (devnet)",
          mimeType: "application/json",
        },
      },
      resourceServer,
    ),
  );

  app.post(INFERENCE_PATH, async (c) => {
    const request = inferenceRequestOf(await c.req.json(), teesById);
    const header = c.req.header("PAYMENT-SIGNATURE") ?? c.req.header("X-PAYMENT");
    if (!header) throw new InvalidRequestError("The request reached the handler without a PAYMENT-SIGNATURE header.");
    const payment = decodePaymentSignatureHeader(header);
    const { from: payer, value } = exactAuthorizationOf(payment);
    const paymentId = paymentIdOfPayment(payment);

    const inference = await inferWith(teesById.get(request.teeId.toLowerCase()) as Enclave, request.prompt);
    const inferenceId = inferenceIdOf(inference);
    const leaf: Leaf = {
      paymentId,
      amount: value,
      teeId: inference.teeId,
      inputHash: inference.inputHash,
      outputHash: inference.outputHash,
      signature: inference.signature,
      timestamp: inference.timestamp,
    };
    c.set("proof", { leaf, payer, mode: request.mode, ...(request.fault ? { fault: request.fault } : {}) });
    return c.json({
      output: inference.output,
      teeId: inference.teeId,
      inputHash: inference.inputHash,
      outputHash: inference.outputHash,
      timestamp: Number(inference.timestamp),
      signature: inference.signature,
      paymentId,
      inferenceId,
      receiptId: receiptIdOf({ paymentId, inferenceId }),
      payer,
      amount: value.toString(),
      mode: request.mode,
    } satisfies InferenceResponse);
  });

  app.onError((error, c) => {
    if (error instanceof InvalidInputError || error instanceof SyntaxError)
      return c.json({ error: error.message }, 400);
    onError(error);
    return c.json({ error: "Internal Server Error" }, 500);
  });

  return {
    app,
    resourceServer,
    /** Serves another enclave from now on (e.g. one registered after the server started). */
    addTee: (tee: Enclave) => void teesById.set(tee.teeId.toLowerCase(), tee),
  };
}

export type InferenceServer = ReturnType<typeof createInferenceServer>;
