import { OPG_ADDRESS_BASE, type TeeFields, teeFieldsOf, USDC_ADDRESS_BASE } from "@settlescan/abis";
import { type PaymentPolicy, x402Client } from "@x402/core/client";
import { decodePaymentRequiredHeader, decodePaymentResponseHeader, encodePaymentRequiredHeader } from "@x402/core/http";
import type { PaymentPayload, PaymentRequirements, SettleResponse } from "@x402/core/types";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { wrapFetchWithPayment } from "@x402/fetch";
import type { LocalAccount } from "viem";
import type { GatewayPaymentMode } from "../gateway/gateway";
import { UPTO_SESSION_HEADER } from "../gateway/sessions";
import { type CompletionRequest, sendCompletion } from "./client";
import { PaidRequestError } from "./errors";
import { type ClientChainReader, permit2PaymentClientOf } from "./permit2Client";
import { DEVNET_COST_HEADER, type GasSponsoring } from "./permit2Resource";
import { BASE_NETWORK } from "./usdc";

/** Which of the gateway's offers a payment mode takes: scheme and asset. */
const OFFER_OF: Record<GatewayPaymentMode, { scheme: string; asset: string }> = {
  upto: { scheme: "upto", asset: OPG_ADDRESS_BASE },
  exact_permit2: { scheme: "exact", asset: OPG_ADDRESS_BASE },
  usdc: { scheme: "exact", asset: USDC_ADDRESS_BASE },
};

/** An x402 policy keeping only the gateway's offer of `mode`. */
export function paymentModePolicyOf(mode: GatewayPaymentMode): PaymentPolicy {
  const { scheme, asset } = OFFER_OF[mode];
  return (_version, requirements: PaymentRequirements[]) =>
    requirements.filter((r) => r.scheme === scheme && r.asset.toLowerCase() === asset.toLowerCase());
}

/**
 * An x402 client paying the gateway in one mode, with x402's own client schemes: `usdc` signs EIP-3009 from `account`;
 * `upto` and `exact_permit2` sign Permit2 witness transfers (and, with `reader`, the gas-sponsoring EIP-2612 permit or
 * `approve` transaction when the Permit2 allowance is short).
 * @example const client = gatewayPaymentClientOf({ account: ALICE, mode: "upto", reader: publicClient })
 */
export function gatewayPaymentClientOf({
  account,
  mode,
  reader,
}: {
  account: LocalAccount;
  mode: GatewayPaymentMode;
  /** Needed by the Permit2 modes: allowance, EIP-2612 nonce, the approval's nonce and fees. */
  reader?: ClientChainReader;
}): x402Client {
  const policies = [paymentModePolicyOf(mode)];
  if (mode === "usdc")
    return x402Client.fromConfig({
      schemes: [{ network: BASE_NETWORK, client: new ExactEvmScheme(account) }],
      policies,
    });
  if (!reader) throw new PaidRequestError(`Paying the gateway in mode "${mode}" needs a chain reader; got none.`);
  return permit2PaymentClientOf({ account, reader, policies });
}

/** The extension key of each gas-sponsoring path in a 402's `extensions`. */
const SPONSORING_KEY: Record<GasSponsoring, string> = {
  eip2612: "eip2612GasSponsoring",
  erc20Approval: "erc20ApprovalGasSponsoring",
};

/**
 * `fetch` that hides from x402's client the gas-sponsoring extensions a 402 declares beyond `allowed`: x402's `upto`
 * client signs an EIP-2612 permit whenever the server declares it, so a client that should take the ERC-20-approval
 * path (or none) must not see it.
 */
export function sponsoringFilterOf(fetch: typeof globalThis.fetch, allowed: readonly GasSponsoring[]) {
  const hidden = (Object.keys(SPONSORING_KEY) as GasSponsoring[])
    .filter((name) => !allowed.includes(name))
    .map((name) => SPONSORING_KEY[name]);
  return (async (input, init) => {
    const response = await fetch(input, init);
    const header = response.headers.get("PAYMENT-REQUIRED");
    if (response.status !== 402 || !header || hidden.length === 0) return response;
    const required = decodePaymentRequiredHeader(header);
    for (const key of hidden) delete required.extensions?.[key];
    const headers = new Headers(response.headers);
    headers.set("PAYMENT-REQUIRED", encodePaymentRequiredHeader(required));
    return new Response(await response.arrayBuffer(), { status: response.status, headers });
  }) as typeof globalThis.fetch;
}

/** A paid gateway completion: the body, its proof fields, and how it was paid. */
export type GatewayCompletion = {
  text: string;
  fields: TeeFields;
  headers: Headers;
  /** The per-request settlement (PAYMENT-RESPONSE); null for a session request, which settles later. */
  settlement: SettleResponse | null;
  /** The `X-Upto-Session` the request was charged to; null for per-request payments. */
  session: string | null;
};

/**
 * A client of the devnet TEE gateway that pays in `mode` and, for `upto`, keeps the session the gateway answers with
 * (`X-Upto-Session`), sending it back so later requests pay nothing until the session is exhausted (then the gateway
 * answers 402, and the client signs a new authorization, opening a new session).
 * @example const client = createGatewayClient({ account, mode: "upto", reader }); await client.complete(url, request)
 */
export function createGatewayClient({
  account,
  mode,
  reader,
  gasSponsoring,
  fetch = globalThis.fetch,
}: {
  account: LocalAccount;
  mode: GatewayPaymentMode;
  reader?: ClientChainReader;
  /** The gas-sponsoring paths this client may take (default: whatever the gateway declares). */
  gasSponsoring?: readonly GasSponsoring[];
  fetch?: typeof globalThis.fetch;
}) {
  const payments: PaymentPayload[] = [];
  const client = gatewayPaymentClientOf({ account, mode, ...(reader ? { reader } : {}) }).onAfterPaymentCreation(
    async ({ paymentPayload }) => void payments.push(paymentPayload),
  );
  const paying = wrapFetchWithPayment(gasSponsoring ? sponsoringFilterOf(fetch, gasSponsoring) : fetch, client);
  const sessions = new Map<string, string>();
  return {
    account,
    mode,
    /** The session this client holds with the gateway at `url`, if any. */
    sessionAt: (url: string) => sessions.get(url),
    /** Every payment this client signed, in order (a session's is its first request's). */
    payments: () => [...payments],
    /** Forgets the session held at `url` (the next request pays anew). */
    forget: (url: string) => void sessions.delete(url),
    /**
     * Asks for one completion; `cost` (OPG units) overrides what an `upto` inference is charged (`X-Devnet-Cost`).
     * Throws `PaidRequestError` unless the gateway answered 200 and either settled or charged a session.
     */
    async complete(
      url: string,
      request: CompletionRequest,
      { cost, signal }: { cost?: bigint; signal?: AbortSignal } = {},
    ): Promise<GatewayCompletion> {
      const held = sessions.get(url);
      const { response, text, endpoint } = await sendCompletion({
        fetch: paying,
        url,
        request,
        headers: {
          ...(held ? { [UPTO_SESSION_HEADER]: held } : {}),
          ...(cost !== undefined ? { [DEVNET_COST_HEADER]: cost.toString() } : {}),
        },
        ...(signal ? { signal } : {}),
      });
      const session = response.headers.get(UPTO_SESSION_HEADER);
      const header = response.headers.get("PAYMENT-RESPONSE");
      if (response.status !== 200 || (!session && !header))
        throw new PaidRequestError(
          `Paid completion at ${endpoint} answered ${response.status}${session || header ? "" : " with neither X-Upto-Session nor PAYMENT-RESPONSE"}: ${text.slice(0, 300)}`,
        );
      if (session) sessions.set(url, session);
      const settlement = header ? decodePaymentResponseHeader(header) : null;
      if (settlement && !settlement.success)
        throw new PaidRequestError(`Payment did not settle: ${settlement.errorReason ?? "no reason given"}.`, {
          details: JSON.stringify(settlement),
        });
      return { text, fields: teeFieldsOf(text), headers: response.headers, settlement, session };
    },
  };
}

export type GatewayClient = ReturnType<typeof createGatewayClient>;
