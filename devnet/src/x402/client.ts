import { type TeeFields, type TeeRequestKind, teeFieldsOf } from "@settlescan/abis";
import { x402Client } from "@x402/core/client";
import { decodePaymentResponseHeader } from "@x402/core/http";
import type { PaymentPayload, PaymentRequirements, SettleResponse } from "@x402/core/types";
import type { ExactEIP3009Payload } from "@x402/evm";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { wrapFetchWithPayment } from "@x402/fetch";
import type { Hex, LocalAccount } from "viem";
import { DevnetError } from "../errors";
import {
  CHAT_COMPLETIONS_PATH,
  COMPLETIONS_PATH,
  DEVNET_FAULT_REQUEST_HEADER,
  DEVNET_LINK_HEADER,
  DEVNET_TEE_HEADER,
  type GatewayFault,
  SETTLEMENT_TYPE_REQUEST_HEADER,
} from "../gateway/gateway";
import { PaidRequestError } from "./errors";
import type { SettlementType } from "./settleData";
import { BASE_NETWORK } from "./usdc";

/** An x402 client that pays `exact` on Base from `account` (x402's own client scheme, EIP-3009 signatures). */
export function paymentClientOf(account: LocalAccount): x402Client {
  return new x402Client().register(BASE_NETWORK, new ExactEvmScheme(account));
}

/**
 * `fetch` that answers HTTP 402 by signing an x402 payment from `account` and retrying (x402's `wrapFetchWithPayment`).
 * @example const pay = createPayingFetch({ account: ALICE }); await pay(url, { method: "POST", body })
 */
export function createPayingFetch({
  account,
  fetch = globalThis.fetch,
}: {
  account: LocalAccount;
  fetch?: typeof globalThis.fetch;
}) {
  return wrapFetchWithPayment(fetch, paymentClientOf(account));
}

/**
 * The x402 payment `account` would send for `requirements`, built by x402's client code without any HTTP:
 * an EIP-3009 `TransferWithAuthorization` (random nonce, `validBefore = now + maxTimeoutSeconds`) and its signature.
 * @example const payment = await createExactPaymentPayload({ account, requirements: exactUsdcRequirementsOf({ payTo, amount }) })
 */
export async function createExactPaymentPayload({
  account,
  requirements,
  resourceUrl = "http://127.0.0.1/devnet",
}: {
  account: LocalAccount;
  requirements: PaymentRequirements;
  resourceUrl?: string;
}): Promise<PaymentPayload> {
  return paymentClientOf(account).createPaymentPayload({
    x402Version: 2,
    resource: { url: resourceUrl },
    accepts: [requirements],
  });
}

/** The inner payload of an x402 `exact` (EIP-3009) payment, its signature always present. */
export type ExactPayload = Required<ExactEIP3009Payload>;

/**
 * Builds an x402 `exact` (EIP-3009) payment payload with x402's own client scheme, but with a chosen nonce,
 * so a seeded scenario gives the same payment IDs on every run. x402 draws the nonce synchronously from
 * `crypto.getRandomValues` before its first await; that one draw is answered with `nonce`, and the result is
 * checked, so a change in x402 fails loudly instead of silently breaking determinism.
 */
export async function createExactPayloadWithNonce(
  account: LocalAccount,
  requirements: PaymentRequirements,
  nonce: Hex,
): Promise<ExactPayload> {
  const scheme = new ExactEvmScheme(account);
  const crypto = globalThis.crypto;
  const original = crypto.getRandomValues;
  const nonceBytes = Buffer.from(nonce.slice(2), "hex");
  crypto.getRandomValues = (<T extends ArrayBufferView | null>(array: T): T => {
    if (array instanceof Uint8Array && array.length === 32) array.set(nonceBytes);
    else original.call(crypto, array as never);
    return array;
  }) as typeof crypto.getRandomValues;
  let pending: ReturnType<ExactEvmScheme["createPaymentPayload"]>;
  try {
    pending = scheme.createPaymentPayload(2, requirements);
  } finally {
    crypto.getRandomValues = original;
  }
  const payload = (await pending).payload as ExactPayload;
  if (payload.authorization.nonce.toLowerCase() !== nonce.toLowerCase())
    throw new DevnetError(
      `x402's exact client did not use the scenario nonce ${nonce} (got ${payload.authorization.nonce}).`,
      {
        details:
          "The @x402/evm version changed how it draws nonces; update createExactPayloadWithNonce in devnet/src/x402/client.ts.",
      },
    );
  return payload;
}

/** A paid completion: the gateway's body (or SSE text), its proof fields, the payment and the settlement headers. */
export type PaidCompletion = {
  /** The body exactly as received: JSON, or the SSE stream. */
  text: string;
  fields: TeeFields;
  /** The x402 settlement of the payment (PAYMENT-RESPONSE). */
  settlement: SettleResponse;
  /** All response headers (individual settlements carry `X-TEE-*` and `X-Settlement-*`). */
  headers: Headers;
};

/** What to ask the gateway: an OpenAI request body, and the settlement mode and devnet knobs as headers. */
export type CompletionRequest = {
  kind: TeeRequestKind;
  body: Record<string, unknown>;
  settlementType?: SettlementType;
  faults?: readonly GatewayFault[];
  /** The enclave to run (`X-Devnet-Tee`). */
  teeId?: Hex;
  /** `exact` sends the proof to the exact-link facilitator. */
  link?: "exact";
};

/**
 * Calls the gateway's `/v1/chat/completions` or `/v1/completions` on `url` through a paying fetch, checks that the
 * payment settled, and reads the proof fields from the answer (the last SSE frame of a stream).
 * @example const { fields } = await requestCompletion({ fetch: pay, url, request: { kind: "chat", body } })
 */
export async function requestCompletion({
  fetch,
  url,
  request,
  signal,
}: {
  fetch: ReturnType<typeof createPayingFetch>;
  url: string;
  request: CompletionRequest;
  signal?: AbortSignal;
}): Promise<PaidCompletion> {
  const { response, text, endpoint } = await sendCompletion({ fetch, url, request, ...(signal ? { signal } : {}) });
  const header = response.headers.get("PAYMENT-RESPONSE");
  if (response.status !== 200 || !header)
    throw new PaidRequestError(
      `Paid completion at ${endpoint} answered ${response.status}${header ? "" : " without a PAYMENT-RESPONSE header"}: ${text.slice(0, 300)}`,
    );
  const settlement = decodePaymentResponseHeader(header);
  if (!settlement.success)
    throw new PaidRequestError(`Payment did not settle: ${settlement.errorReason ?? "no reason given"}.`, {
      details: JSON.stringify(settlement),
    });
  return { text, fields: teeFieldsOf(text), settlement, headers: response.headers };
}

/**
 * POSTs a completion request to the gateway on `url` (its OpenAI route, settlement mode and devnet knobs as headers)
 * through `fetch`; answers the response and its text.
 */
export async function sendCompletion({
  fetch,
  url,
  request: { kind, body, settlementType, faults = [], teeId, link },
  headers = {},
  signal,
}: {
  fetch: typeof globalThis.fetch;
  url: string;
  request: CompletionRequest;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}): Promise<{ response: Response; text: string; endpoint: string }> {
  const endpoint = `${url}${kind === "chat" ? CHAT_COMPLETIONS_PATH : COMPLETIONS_PATH}`;
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(settlementType ? { [SETTLEMENT_TYPE_REQUEST_HEADER]: settlementType } : {}),
      ...(faults.length > 0 ? { [DEVNET_FAULT_REQUEST_HEADER]: faults.join(",") } : {}),
      ...(teeId ? { [DEVNET_TEE_HEADER]: teeId } : {}),
      ...(link ? { [DEVNET_LINK_HEADER]: link } : {}),
      ...headers,
    },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
  return { response, text: await response.text(), endpoint };
}
