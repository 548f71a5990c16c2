import {
  base64UrlOf,
  didKeyOf,
  InvalidInputError,
  inputHashOf,
  OPG_ADDRESS_BASE,
  outputHashOf,
  type TeeRequestKind,
  teeResponseOf,
} from "@settlescan/abis";
import {
  decodePaymentResponseHeader,
  decodePaymentSignatureHeader,
  type HTTPRequestContext,
  type HTTPResponseInstructions,
  type PaymentOption,
} from "@x402/core/http";
import { HTTPFacilitatorClient } from "@x402/core/server";
import type { PaymentPayload, ResourceServerExtension } from "@x402/core/types";
import { ExactEvmScheme } from "@x402/evm/exact/server";
import { UptoEvmScheme } from "@x402/evm/upto/server";
import {
  createEIP712OfferReceiptIssuer,
  createJWSOfferReceiptIssuer,
  createOfferReceiptExtension,
  declareOfferReceiptExtension,
  type OfferReceiptIssuer,
} from "@x402/extensions/offer-receipt";
import { HonoAdapter, paymentMiddlewareFromHTTPServer, x402HTTPResourceServer, x402ResourceServer } from "@x402/hono";
import { type Context, Hono, type Next } from "hono";
import { type Address, type Hex, keccak256, type LocalAccount, parseUnits, sha256, stringToHex } from "viem";
import { PAYEE } from "../accounts";
import { OPG_EIP712 } from "../base/opg";
import { InvalidRequestError } from "../x402/errors";
import { type PaymentFacts, paymentFactsOf } from "../x402/payment";
import {
  DEFAULT_EXACT_PRICE,
  DEFAULT_UPTO_MAX,
  declareGasSponsoring,
  devnetCostOf,
  type GasSponsoring,
} from "../x402/permit2Resource";
import {
  BATCH_ONLY_FAULTS,
  type BatchSettlementData,
  FACILITATOR_FAULTS,
  type FacilitatorFault,
  type IndividualSettlementData,
  postSettleData,
  type SettlementJob,
  type SettlementPayment,
  type SettlementType,
} from "../x402/settleData";
import { BASE_NETWORK, DEFAULT_MAX_TIMEOUT_SECONDS, DEFAULT_PRICE, usdcPriceOf } from "../x402/usdc";
import { answerOf } from "./model";
import {
  createSessionStore,
  DEFAULT_SESSION_IDLE_SECONDS,
  DEFAULT_SESSION_MAX_SECONDS,
  SessionSettlementError,
  UPTO_SESSION_HEADER,
  type UptoSession,
} from "./sessions";

/** OpenAI-style routes of OpenGradient's TEE gateway. */
export const CHAT_COMPLETIONS_PATH = "/v1/chat/completions";
export const COMPLETIONS_PATH = "/v1/completions";

/** The request header OpenGradient's SDK sets: `batch` (default), `individual` or `private`. */
export const SETTLEMENT_TYPE_REQUEST_HEADER = "X-SETTLEMENT-TYPE";
/** Devnet only: comma-separated faults to inject (`GATEWAY_FAULTS`). */
export const DEVNET_FAULT_REQUEST_HEADER = "X-Devnet-Fault";
/** Devnet only: the teeId of the enclave that runs the request (one of the gateway's; default its first). */
export const DEVNET_TEE_HEADER = "X-Devnet-Tee";
/** Devnet only: `exact` sends the proof, with the x402 payment it answers, to the exact-link facilitator. */
export const DEVNET_LINK_HEADER = "X-Devnet-Link";

/** The model name answered when a request names none. */
export const DEVNET_MODEL = "devnet/reverse";

/**
 * Faults a request may ask the devnet gateway for, so live traffic produces every state: `bad_signature` (the
 * enclave's signature with a byte flipped, in the body and the proof), `unregistered_tee` / `disabled_tee` (signed by
 * the gateway's unregistered or disabled enclave), `unsettled` (no `/settle_data` at all), `unpaid` / `underpaid`
 * (exact link only: cite a payment that never happened / claim twice what was paid), and the facilitator's faults,
 * passed on to it in `x-devnet-fault`.
 */
export type GatewayFault =
  | "bad_signature"
  | "unregistered_tee"
  | "disabled_tee"
  | "unsettled"
  | "unpaid"
  | "underpaid"
  | FacilitatorFault;

export const GATEWAY_FAULTS = [
  "bad_signature",
  "unregistered_tee",
  "disabled_tee",
  "unsettled",
  "unpaid",
  "underpaid",
  ...FACILITATOR_FAULTS,
] as const satisfies readonly GatewayFault[];

/** An enclave the gateway runs: the id it is registered under (keccak256 of its DER key) and its RSA-PSS signer. */
export type GatewayEnclave = {
  teeId: Hex;
  sign: (fields: { inputHash: Hex; outputHash: Hex; timestamp: bigint }) => Promise<Hex>;
};

/** The OpenAI response body (or SSE text) and what the gateway hands to the facilitator after the payment settled. */
type Proof = {
  kind: TeeRequestKind;
  settlementType: SettlementType;
  faults: ReadonlySet<GatewayFault>;
  link: "none" | "exact";
  requestText: string;
  body: string;
  stream: boolean;
  teeId: Hex;
  inputHash: Hex;
  outputHash: Hex;
  timestamp: bigint;
  signature: Hex;
  /** What an individual settlement names as `ethAddress` (og-x402: the payer for EIP-3009, the proxy for Permit2). */
  ethAddress: Address;
  payment: SettlementPayment;
};

/** The signature with its last byte flipped: well-formed, no longer valid. */
export function tamperedSignatureOf(signature: Hex): Hex {
  const last = Number.parseInt(signature.slice(-2), 16);
  return `${signature.slice(0, -2)}${(last ^ 0xff).toString(16).padStart(2, "0")}` as Hex;
}

/** Standard base64 of hex bytes, as the gateway writes `tee_signature`. */
export function base64OfHex(hex: Hex): string {
  return Buffer.from(hex.slice(2), "hex").toString("base64");
}

/** og-x402's `_normalize_settlement_type`: case, spaces, `-`/`_` and two typos tolerated; anything else is batch. */
export function requestedSettlementTypeOf(header: string | undefined): SettlementType {
  const normalized = (header ?? "").replace(/[\s_-]+/g, "").toLowerCase();
  if (normalized === "private" || normalized === "pivate") return "private";
  if (normalized === "individual" || normalized === "inidvidual") return "individual";
  return "batch";
}

/** The faults named in `X-Devnet-Fault`; throws `InvalidRequestError` for an unknown one or two facilitator faults. */
export function gatewayFaultsOf(header: string | undefined): Set<GatewayFault> {
  const names = (header ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names)
    if (!GATEWAY_FAULTS.includes(name as GatewayFault))
      throw new InvalidRequestError(`Fault "${name}" is not one of ${GATEWAY_FAULTS.join(", ")}.`);
  const faults = new Set(names as GatewayFault[]);
  const facilitatorFaults = [...faults].filter((f) => FACILITATOR_FAULTS.includes(f as FacilitatorFault));
  if (facilitatorFaults.length > 1)
    throw new InvalidRequestError(
      `Faults ${facilitatorFaults.join(" and ")} are both facilitator faults; a proof takes one at most.`,
    );
  return faults;
}

/** How the gateway signs x402 receipts (the offer-receipt extension): EIP-712 typed data, or a compact JWS. */
export type ReceiptFormat = "eip712" | "jws";

/** Devnet only: the receipt format when the options name none (`eip712` unless set). */
export const RECEIPT_FORMAT_ENV = "GATEWAY_RECEIPT_FORMAT";

/** The receipt format `GATEWAY_RECEIPT_FORMAT` names (default `eip712`); throws `InvalidRequestError` for another. */
export function receiptFormatOf(value: string | undefined): ReceiptFormat {
  if (value === undefined || value === "") return "eip712";
  if (value === "eip712" || value === "jws") return value;
  throw new InvalidRequestError(`${RECEIPT_FORMAT_ENV} "${value}" is not "eip712" or "jws".`);
}

/**
 * The real @x402/extensions issuer signing with `account`: EIP-712 with its key (the recovered signer is its address),
 * or a JWS (ES256K) whose `kid` is the did:key of its secp256k1 key, so both resolve offline to the same address.
 * @example resourceServer.registerExtension(createOfferReceiptExtension(receiptIssuerOf("jws", PAYEE)))
 */
export function receiptIssuerOf(format: ReceiptFormat, account: LocalAccount): OfferReceiptIssuer {
  if (!account.publicKey || !account.sign)
    throw new InvalidRequestError(`Account ${account.address} cannot sign receipts: it has no local key.`);
  if (format === "eip712")
    return createEIP712OfferReceiptIssuer(`did:pkh:eip155:1:${account.address}`, (typedData) =>
      account.signTypedData(typedData as Parameters<LocalAccount["signTypedData"]>[0]),
    );
  const kid = didKeyOf({ keyType: "secp256k1", publicKey: account.publicKey });
  const sign = account.sign;
  return createJWSOfferReceiptIssuer(kid, {
    kid,
    format: "jws",
    algorithm: "ES256K",
    // JWS ES256K is r‖s (64 bytes) over SHA-256 of the signing input; viem signs a hash and adds v.
    sign: async (input) => base64UrlOf(Buffer.from((await sign({ hash: sha256(input) })).slice(2, 130), "hex")),
  });
}

/**
 * The real offer-receipt extension, its receipts naming the settlement transaction. @x402/core 2.27.0 hands the
 * settle hook the 402 response's enriched entry (`{info: {offers}, schema}`, written over the request's declaration
 * object) instead of the route's declaration, so `declareOfferReceiptExtension({ includeTxHash: true })` alone never
 * reaches it; the flag is passed again here.
 */
export function offerReceiptExtensionOf(issuer: OfferReceiptIssuer): ResourceServerExtension {
  const extension = createOfferReceiptExtension(issuer);
  const enrich = extension.enrichSettlementResponse;
  if (!enrich) return extension;
  return {
    ...extension,
    enrichSettlementResponse: (declaration, context) =>
      enrich({ ...(declaration as object), includeTxHash: true }, context),
  };
}

/** Response headers of an individual settlement (og-x402's `_create_settlement_data_headers`), from the job. */
const JOB_HEADERS: [keyof SettlementJob | "queueNonce", string][] = [
  ["jobId", "X-Settlement-Job-ID"],
  ["queue", "X-Settlement-Queue"],
  ["status", "X-Settlement-Status"],
  ["settlementType", "X-Settlement-Type"],
  ["queueNonce", "X-Settlement-Queue-Nonce"],
  ["signerAddress", "X-Settlement-Signer-Address"],
  ["txHash", "X-Settlement-Tx-Hash"],
  ["walrusBlobId", "X-Settlement-Walrus-Blob-ID"],
];

/**
 * How a client may pay the gateway: `upto` (OPG over Permit2, one authorization per session, as the real gateway),
 * `exact_permit2` (OPG over Permit2, one settlement per request) or `usdc` (x402 `exact` EIP-3009 USDC per request).
 */
export type GatewayPaymentMode = "upto" | "exact_permit2" | "usdc";

export const GATEWAY_PAYMENT_MODES = ["upto", "exact_permit2", "usdc"] as const satisfies readonly GatewayPaymentMode[];

/** Default price of one token of an inference paid `upto`: 0.00001 OPG (the real gateway: usage × OPG/USD price). */
export const DEFAULT_OPG_PER_TOKEN = parseUnits("0.00001", 18);

/** A gateway session as tests and traffic see it (the store's record). */
export type GatewaySession = UptoSession;

export type GatewayOptions = {
  /** The x402 facilitator (loopback): /verify, /settle, /supported, and /settle_data for plain proofs. */
  facilitatorUrl: string;
  /** The exact-link facilitator's /settle_data, for requests with `X-Devnet-Link: exact`. */
  exactFacilitatorUrl?: string;
  /** Who gets paid (PAYEE: the enclaves' registered payment address). */
  payTo: Address;
  /** Enclaves the gateway runs; a request picks one with `X-Devnet-Tee`, else the first. */
  tees: readonly GatewayEnclave[];
  /** The enclaves behind the `unregistered_tee` and `disabled_tee` faults. */
  faultTees?: { unregistered?: GatewayEnclave; disabled?: GatewayEnclave };
  /** Price of one inference in USDC base units (x402 `exact`). */
  price?: bigint;
  /** Seconds a per-request authorization stays valid (`upto` ones: the session's idle + max time + a minute). */
  maxTimeoutSeconds?: number;
  /** Payment options the gateway offers, in this order (default: all, `upto` first); a client takes what it can. */
  payments?: readonly GatewayPaymentMode[];
  /** OPG units one `upto` session may charge at most (tee-gateway: 0.1 OPG). */
  uptoMax?: bigint;
  /** OPG units an `upto` inference costs per token of usage (a request's `X-Devnet-Cost` overrides it). */
  opgPerToken?: bigint;
  /** OPG units an `exact` Permit2 inference costs. */
  exactPermit2Price?: bigint;
  /** Gas-sponsoring extensions declared on the OPG options (tee-gateway declares `erc20Approval`). */
  gasSponsoring?: readonly GasSponsoring[];
  /** A session settles after idling this long (tee-gateway: 100 s). */
  sessionIdleSeconds?: number;
  /** A session settles at the latest this long after it opened. */
  sessionMaxSeconds?: number;
  /** Called once a session settled, turned out empty, or failed to settle. */
  onSessionClosed?: (session: GatewaySession) => void;
  /**
   * Signed x402 receipts in every paid response's PAYMENT-RESPONSE (`extensions["offer-receipt"].info.receipt`, with
   * the settlement's transaction): the format (default `GATEWAY_RECEIPT_FORMAT`, else `eip712`) and the signing key
   * (default PAYEE, the payTo's own key, so "signer == payTo" holds); `false` issues none.
   */
  receipts?: false | { format?: ReceiptFormat; account?: LocalAccount };
  onError?: (error: unknown) => void;
};

/**
 * The devnet TEE gateway: `POST /v1/chat/completions` and `POST /v1/completions`, paid with x402 on Base as the
 * payments option says — OPG `upto` sessions over Permit2 (og-x402's session mode: the first request's authorization
 * opens a session answered with `X-Upto-Session`, later requests naming it pay nothing more, and a reaper settles the
 * session once, for its summed cost, when idle, old or exhausted; a session that cost nothing sends nothing), OPG
 * `exact` over Permit2 and USDC `exact` (EIP-3009), both settled per request by @x402/hono's `paymentMiddleware` —
 * and answering exactly as OpenGradient's gateway does: an OpenAI `chat.completion` / `text_completion` body with
 * `tee_id`, `tee_request_hash`, `tee_output_hash`, `tee_timestamp` and `tee_signature`, or with `stream: true` an SSE
 * stream carrying them in its last frame. Once paid (or charged to a session), the proof goes to the facilitator's
 * `/settle_data` in the `X-SETTLEMENT-TYPE` mode: in the background for `batch`, awaited for `individual` (its
 * `X-TEE-*` and `X-Settlement-*` headers answered; `eth_address` as og-x402 sets it), not at all for `private`.
 * @example
 * const gateway = createGateway({ facilitatorUrl, payTo: PAYEE.address, tees: [tees["tee-alpha"]] })
 * const { url } = await serveOnLoopback(gateway.app.fetch)
 */
export function createGateway({
  facilitatorUrl,
  exactFacilitatorUrl,
  payTo,
  tees,
  faultTees = {},
  price = DEFAULT_PRICE,
  maxTimeoutSeconds = DEFAULT_MAX_TIMEOUT_SECONDS,
  payments = GATEWAY_PAYMENT_MODES,
  uptoMax = DEFAULT_UPTO_MAX,
  opgPerToken = DEFAULT_OPG_PER_TOKEN,
  exactPermit2Price = DEFAULT_EXACT_PRICE,
  gasSponsoring = ["erc20Approval"],
  sessionIdleSeconds = DEFAULT_SESSION_IDLE_SECONDS,
  sessionMaxSeconds = DEFAULT_SESSION_MAX_SECONDS,
  onSessionClosed = () => {},
  receipts = {},
  onError = (error) => console.error("[gateway]", error),
}: GatewayOptions) {
  if (payments.length === 0) throw new InvalidRequestError("A gateway needs at least one payment mode; got none.");
  if (tees.length === 0) throw new InvalidRequestError("A gateway needs at least one enclave; got none.");
  const teesById = new Map(tees.map((tee) => [tee.teeId.toLowerCase(), tee]));
  const defaultTee = tees[0] as GatewayEnclave;
  const resourceServer = new x402ResourceServer(new HTTPFacilitatorClient({ url: facilitatorUrl }))
    .register(BASE_NETWORK, new ExactEvmScheme())
    .register(BASE_NETWORK, new UptoEvmScheme());
  if (receipts !== false)
    resourceServer.registerExtension(
      offerReceiptExtensionOf(
        receiptIssuerOf(receipts.format ?? receiptFormatOf(process.env[RECEIPT_FORMAT_ENV]), receipts.account ?? PAYEE),
      ),
    );
  const background = new Set<Promise<unknown>>();
  // The session's authorization must outlive its last possible settlement: idle after the last request of a session
  // that may last sessionMaxSeconds.
  const uptoTimeoutSeconds = Math.ceil(sessionIdleSeconds + sessionMaxSeconds + 60);
  const sessions = createSessionStore({
    idleSeconds: sessionIdleSeconds,
    maxSeconds: sessionMaxSeconds,
    // @x402/hono's paymentMiddleware settles right after the handler and cannot defer; so the session keeps the payment
    // verified on its first request and the reaper settles it through the same resource server and facilitator
    // (`settlePayment` with an amount override, as `setSettlementOverrides` would), once, for what the session charged.
    settle: (session) =>
      resourceServer.settlePayment(
        session.payload,
        session.requirements,
        session.declaredExtensions,
        session.transportContext,
        { amount: session.charged.toString() },
      ),
    onClosed: (session) => {
      if (session.status === "failed")
        onError(
          new SessionSettlementError(`Session ${session.id} of ${session.payer} did not settle: ${session.error}`),
        );
      onSessionClosed(session);
    },
  });

  function enclaveOf(c: Context, faults: ReadonlySet<GatewayFault>): GatewayEnclave {
    for (const [fault, which] of [
      ["unregistered_tee", "unregistered"],
      ["disabled_tee", "disabled"],
    ] as const) {
      if (!faults.has(fault)) continue;
      const tee = faultTees[which];
      if (!tee) throw new InvalidRequestError(`Fault "${fault}" needs the gateway's ${which} enclave; it has none.`);
      return tee;
    }
    const teeId = c.req.header(DEVNET_TEE_HEADER);
    if (!teeId) return defaultTee;
    const tee = teesById.get(teeId.toLowerCase());
    if (!tee)
      throw new InvalidRequestError(`TEE "${teeId}" is not run here; known TEEs: ${[...teesById.keys()].join(", ")}.`);
    return tee;
  }

  function settlementDataOf(proof: Proof): BatchSettlementData | IndividualSettlementData {
    const batch: BatchSettlementData = {
      tee_id: proof.teeId,
      input_hash: proof.inputHash.slice(2),
      output_hash: proof.outputHash.slice(2),
      tee_signature: base64OfHex(proof.signature),
      tee_timestamp: Number(proof.timestamp),
      timestamp: Number(proof.timestamp),
    };
    if (proof.settlementType !== "individual") return batch;
    return {
      ...batch,
      input: JSON.parse(proof.requestText),
      output: outputObjectOf(proof),
      timestamp: proof.timestamp.toString(),
      eth_address: proof.ethAddress,
    };
  }

  function settlementPaymentOf(proof: Proof): SettlementPayment {
    const { payment, faults } = proof;
    if (faults.has("unpaid"))
      return { ...payment, paymentId: keccak256(stringToHex(`devnet unpaid ${proof.inputHash} ${proof.timestamp}`)) };
    if (faults.has("underpaid")) return { ...payment, amount: payment.amount * 2n };
    return payment;
  }

  /** Hands the proof to the facilitator; resolves with the job (null when nothing was posted). */
  function settle(proof: Proof): Promise<SettlementJob | null> {
    if (proof.settlementType === "private" || proof.faults.has("unsettled")) return Promise.resolve(null);
    const fault = [...proof.faults].find((f): f is FacilitatorFault =>
      FACILITATOR_FAULTS.includes(f as FacilitatorFault),
    );
    const exact = proof.link === "exact";
    return postSettleData(exact ? (exactFacilitatorUrl as string) : facilitatorUrl, {
      type: proof.settlementType,
      data: settlementDataOf(proof),
      ...(exact ? { payment: settlementPaymentOf(proof) } : {}),
      ...(fault ? { fault } : {}),
    }).then(({ settlementJob }) => settlementJob);
  }

  const app = new Hono<{ Variables: GatewayVariables }>();

  // Outermost: runs once @x402/hono settled the payment, as og-x402's middleware does.
  app.use("/v1/*", async (c, next) => {
    await next();
    const proof = c.get("proof");
    const paid = c.res.headers.get("PAYMENT-RESPONSE");
    if (!proof || c.res.status !== 200) return;
    if (!c.get("sessionCharged") && (!paid || !decodePaymentResponseHeader(paid).success)) return;
    if (proof.settlementType !== "individual") {
      const posted = settle(proof).catch(onError);
      background.add(posted);
      void posted.finally(() => background.delete(posted));
      return;
    }
    const headers = c.res.headers;
    headers.set("X-TEE-Signature", base64OfHex(proof.signature));
    headers.set("X-TEE-ID", proof.teeId);
    headers.set("X-TEE-Timestamp", proof.timestamp.toString());
    headers.set("X-TEE-Request-Hash", proof.inputHash);
    headers.set("X-TEE-Output-Hash", proof.outputHash);
    try {
      const job = await settle(proof);
      for (const [key, name] of JOB_HEADERS) {
        const value = job?.[key as keyof SettlementJob];
        if (value !== undefined) headers.set(name, String(value));
      }
    } catch (error) {
      // The client got its answer and paid; a facilitator failure only leaves the settlement headers out.
      onError(error);
    }
  });

  const optionOf = (mode: GatewayPaymentMode): PaymentOption => {
    if (mode === "usdc")
      return { scheme: "exact", network: BASE_NETWORK, payTo, price: usdcPriceOf(price), maxTimeoutSeconds };
    const [scheme, amount, timeout] =
      mode === "upto"
        ? (["upto", uptoMax, uptoTimeoutSeconds] as const)
        : (["exact", exactPermit2Price, maxTimeoutSeconds] as const);
    return {
      scheme,
      network: BASE_NETWORK,
      payTo,
      maxTimeoutSeconds: timeout,
      price: {
        asset: OPG_ADDRESS_BASE,
        amount: amount.toString(),
        extra: { ...OPG_EIP712, assetTransferMethod: "permit2" },
      },
    };
  };
  const extensions = {
    ...declareGasSponsoring(gasSponsoring),
    ...(receipts !== false ? declareOfferReceiptExtension({ includeTxHash: true }) : {}),
  };
  const httpServer = new x402HTTPResourceServer(
    resourceServer,
    Object.fromEntries(
      [CHAT_COMPLETIONS_PATH, COMPLETIONS_PATH].map((path) => [
        `POST ${path}`,
        {
          accepts: payments.map(optionOf),
          description: "Deterministic TEE inference (devnet)",
          mimeType: "application/json",
          extensions,
        },
      ]),
    ),
  );
  let initializing: Promise<void> | undefined;
  const initialized = () => {
    initializing ??= httpServer.initialize().catch((error) => {
      initializing = undefined;
      throw error;
    });
    return initializing;
  };
  // Per-request payments (exact: USDC, OPG over Permit2) and every 402 go through @x402/hono's own middleware.
  const perRequest = paymentMiddlewareFromHTTPServer(httpServer, undefined, undefined, false);

  /** The HTTP answer x402 asks for (a 402 with PAYMENT-REQUIRED, or an error). */
  const instructed = ({ status, headers, body, isHtml }: HTTPResponseInstructions) =>
    new Response(isHtml ? String(body ?? "") : JSON.stringify(body ?? {}), {
      status,
      headers: { "Content-Type": isHtml ? "text/html; charset=utf-8" : "application/json", ...headers },
    });
  const requestContextOf = (c: Context, paymentHeader?: string): HTTPRequestContext => ({
    adapter: new HonoAdapter(c),
    path: c.req.path,
    decodedPath: c.req.path,
    method: c.req.method,
    ...(paymentHeader ? { paymentHeader } : {}),
  });
  /** A 402 asking for a new payment (the session named is closed or cannot take the request). */
  const paymentRequired = async (c: Context) => {
    const result = await httpServer.processHTTPRequest(requestContextOf(c));
    if (result.type !== "payment-error")
      throw new InvalidRequestError(`Route ${c.req.path} asked for no payment; expected a 402.`);
    c.res = undefined;
    c.res = instructed(result.response);
  };

  // Session mode (og-x402's SessionStore): an `upto` payment opens a session; `X-Upto-Session` spends it.
  app.use("/v1/*", async (c, next) => {
    await initialized();
    const paymentHeader = c.req.header("PAYMENT-SIGNATURE") ?? c.req.header("X-PAYMENT");
    let payment: PaymentPayload | undefined;
    try {
      payment = paymentHeader ? decodePaymentSignatureHeader(paymentHeader) : undefined;
    } catch {
      return perRequest(c, next);
    }
    if (payment && payment.accepted?.scheme === "upto") return openSession(c, next, paymentHeader as string);
    const session = payment ? undefined : sessions.openSession(c.req.header(UPTO_SESSION_HEADER));
    if (session) return continueSession(c, next, session);
    return perRequest(c, next);
  });

  async function openSession(c: Context<{ Variables: GatewayVariables }>, next: Next, paymentHeader: string) {
    const context = requestContextOf(c, paymentHeader);
    const result = await httpServer.processHTTPRequest(context);
    if (result.type === "payment-error") return instructed(result.response);
    if (result.type !== "payment-verified") return next();
    const { paymentPayload, paymentRequirements, declaredExtensions } = result;
    const facts = paymentFactsOf(paymentPayload);
    c.set("payment", { payload: paymentPayload, facts });
    await next();
    if (c.res.status >= 400) return;
    const cost = c.get("cost") ?? 0n;
    if (cost > facts.maxAmount) {
      c.res = undefined;
      c.res = c.json(
        { error: `The request costs ${cost} OPG units; the session's authorization allows ${facts.maxAmount}.` },
        402,
      );
      return;
    }
    const session = sessions.open(
      {
        payer: facts.payer,
        payload: paymentPayload,
        requirements: paymentRequirements,
        ...(declaredExtensions ? { declaredExtensions } : {}),
        transportContext: { request: context },
        cap: facts.maxAmount,
      },
      cost,
    );
    c.set("sessionCharged", true);
    c.res.headers.set(UPTO_SESSION_HEADER, session.id);
  }

  async function continueSession(c: Context<{ Variables: GatewayVariables }>, next: Next, session: UptoSession) {
    c.set("payment", { payload: session.payload, facts: paymentFactsOf(session.payload) });
    await next();
    if (c.res.status >= 400) return;
    if (sessions.charge(session, c.get("cost") ?? 0n) === "exhausted") return paymentRequired(c);
    c.set("sessionCharged", true);
    c.res.headers.set(UPTO_SESSION_HEADER, session.id);
  }

  /** The payment a request is answered for: its session's, or the one in its PAYMENT-SIGNATURE header. */
  function paidFactsOf(c: Context<{ Variables: GatewayVariables }>): PaymentFacts {
    const known = c.get("payment");
    if (known) return known.facts;
    const header = c.req.header("PAYMENT-SIGNATURE") ?? c.req.header("X-PAYMENT");
    if (!header) throw new InvalidRequestError("The request reached the handler without a PAYMENT-SIGNATURE header.");
    return paymentFactsOf(decodePaymentSignatureHeader(header));
  }

  async function answer(c: Context<{ Variables: GatewayVariables }>, kind: TeeRequestKind) {
    const requestText = await c.req.text();
    let request: unknown;
    try {
      request = JSON.parse(requestText);
    } catch (cause) {
      throw new InvalidRequestError(`Request body is not JSON: ${(cause as Error).message}`, { cause });
    }
    if (typeof request !== "object" || request === null || Array.isArray(request))
      throw new InvalidRequestError(`Request body is ${JSON.stringify(request)}; expected a JSON object.`);
    const settlementType = requestedSettlementTypeOf(c.req.header(SETTLEMENT_TYPE_REQUEST_HEADER));
    const faults = gatewayFaultsOf(c.req.header(DEVNET_FAULT_REQUEST_HEADER));
    const linkHeader = c.req.header(DEVNET_LINK_HEADER);
    if (linkHeader !== undefined && linkHeader !== "exact")
      throw new InvalidRequestError(`${DEVNET_LINK_HEADER} "${linkHeader}" is not "exact"; omit it for a plain proof.`);
    const link = linkHeader === "exact" ? "exact" : "none";
    if (link === "exact" && !exactFacilitatorUrl)
      throw new InvalidRequestError(
        `${DEVNET_LINK_HEADER}: exact needs an exact-link facilitator; this gateway has none.`,
      );
    if (link === "exact" && settlementType === "individual")
      throw new InvalidRequestError(
        'An exact-link proof is settled in a batch (an individual settlement names no payment); use "batch".',
      );
    for (const fault of BATCH_ONLY_FAULTS)
      if (faults.has(fault) && settlementType !== "batch")
        throw new InvalidRequestError(
          `Fault "${fault}" acts on a batch's blob or root; it needs ${SETTLEMENT_TYPE_REQUEST_HEADER}: batch.`,
        );
    for (const fault of ["unpaid", "underpaid"] as const)
      if (faults.has(fault) && link !== "exact")
        throw new InvalidRequestError(
          `Fault "${fault}" concerns the payment an exact link cites; send ${DEVNET_LINK_HEADER}: exact.`,
        );

    const inputHash = inputHashOf(requestText, kind);
    const enclave = enclaveOf(c, faults);
    const { output, chunks, usage } = answerOf(request as Record<string, unknown>, kind);
    const outputHash = outputHashOf(output);
    const timestamp = BigInt(Math.floor(Date.now() / 1000));
    const signed = await enclave.sign({ inputHash, outputHash, timestamp });
    const signature = faults.has("bad_signature") ? tamperedSignatureOf(signed) : signed;
    const stream = kind === "chat" && (request as { stream?: unknown }).stream === true;
    const { model } = request as { model?: unknown };
    const body = teeResponseOf({
      kind: stream ? "stream" : kind,
      model: typeof model === "string" ? model : DEVNET_MODEL,
      output,
      inputHash,
      timestamp,
      teeId: enclave.teeId,
      signature,
      usage,
      ...(stream ? { chunks } : {}),
    });

    const facts = paidFactsOf(c);
    // `upto`: what the inference cost (tokens × rate); `exact`: the price the payer authorized.
    const cost =
      facts.scheme === "permit2_upto" ? devnetCostOf(c, BigInt(usage.total_tokens) * opgPerToken) : facts.maxAmount;
    c.set("cost", cost);
    c.set("proof", {
      kind,
      settlementType,
      faults,
      link,
      requestText,
      body,
      stream,
      teeId: enclave.teeId,
      inputHash,
      outputHash,
      timestamp,
      signature,
      ethAddress: facts.ethAddress,
      payment: { paymentId: facts.paymentId, amount: cost },
    });
    return new Response(body, {
      status: 200,
      headers: stream
        ? { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" }
        : { "Content-Type": "application/json" },
    });
  }

  app.post(CHAT_COMPLETIONS_PATH, (c) => answer(c, "chat"));
  app.post(COMPLETIONS_PATH, (c) => answer(c, "completion"));

  app.onError((error, c) => {
    if (error instanceof InvalidInputError || error instanceof SyntaxError)
      return c.json({ error: error.message }, 400);
    onError(error);
    return c.json({ error: "Request processing failed" }, 500);
  });

  return {
    app,
    resourceServer,
    /** Runs another enclave from now on (e.g. one registered after the gateway started). */
    addTee: (tee: GatewayEnclave) => void teesById.set(tee.teeId.toLowerCase(), tee),
    /** Resolves once every proof handed to the facilitator in the background was answered, and every closing session settled. */
    async idle() {
      while (background.size > 0) await Promise.all([...background]);
      await sessions.idle();
    },
    /** Every payment session so far (closed ones included), oldest first. */
    sessions: () => sessions.list(),
    /** Settles every session due now (the reaper also does on its own). */
    reap: () => sessions.reap(),
    /** Stops the reaper and settles every open session now (shutdown). */
    async close() {
      sessions.stop();
      await sessions.closeAll();
      await this.idle();
    },
  };
}

export type Gateway = ReturnType<typeof createGateway>;

type GatewayVariables = {
  proof?: Proof;
  /** The payment the request is answered for, read by the session middleware. */
  payment?: { payload: PaymentPayload; facts: PaymentFacts };
  /** What the inference costs in the payment's token units. */
  cost?: bigint;
  /** The request was charged to an `upto` session (no PAYMENT-RESPONSE: the session settles later). */
  sessionCharged?: boolean;
};

/** The response JSON og-x402 puts in an individual settlement's `output`: the body, or a stream's proof frame. */
function outputObjectOf({ body, stream }: Pick<Proof, "body" | "stream">): unknown {
  if (!stream) return JSON.parse(body);
  const frames = body
    .split("\n")
    .filter((line) => line.startsWith("data: ") && line !== "data: [DONE]")
    .map((line) => JSON.parse(line.slice("data: ".length)) as Record<string, unknown>);
  return frames.findLast((frame) => "tee_signature" in frame) ?? null;
}
