import { OPG_ADDRESS_BASE, OPG_DECIMALS } from "@settlescan/abis";
import type { PaymentOption } from "@x402/core/http";
import { type FacilitatorClient, HTTPFacilitatorClient } from "@x402/core/server";
import type { Network } from "@x402/core/types";
import { ExactEvmScheme } from "@x402/evm/exact/server";
import { UptoEvmScheme } from "@x402/evm/upto/server";
import { declareEip2612GasSponsoringExtension, declareErc20ApprovalGasSponsoringExtension } from "@x402/extensions";
import { paymentMiddleware, setSettlementOverrides, x402ResourceServer } from "@x402/hono";
import { type Context, Hono } from "hono";
import { type Address, parseUnits } from "viem";
import { OPG_EIP712 } from "../base/opg";
import { InvalidRequestError } from "./errors";
import { BASE_NETWORK, DEFAULT_MAX_TIMEOUT_SECONDS } from "./usdc";

/** The resource server's `upto` route: one request, settled for what it cost (≤ the route's maximum). */
export const UPTO_PATH = "/upto";
/** The resource server's `exact` route over Permit2: one request, settled for the route's price. */
export const EXACT_PERMIT2_PATH = "/exact-permit2";
/** Devnet only: the cost in OPG units the `upto` route charges for this request (`setSettlementOverrides`). */
export const DEVNET_COST_HEADER = "X-Devnet-Cost";

/** tee-gateway's cap on one `upto` authorization: 0.1 OPG (`definitions.py`). */
export const DEFAULT_UPTO_MAX = parseUnits("0.1", OPG_DECIMALS);
/** Default price of the `exact` route: 0.001 OPG. */
export const DEFAULT_EXACT_PRICE = parseUnits("0.001", OPG_DECIMALS);

/** Gas-sponsoring extensions a route can declare; the real tee-gateway declares only `erc20Approval`. */
export type GasSponsoring = "eip2612" | "erc20Approval";

export type Permit2ResourceOptions = {
  /** The facilitator: its URL, or a client (e.g. an in-process x402Facilitator with async `getSupported`). */
  facilitator: string | FacilitatorClient;
  payTo: Address;
  /** OPG units one `upto` authorization allows at most. */
  uptoMax?: bigint;
  /** OPG units the `exact` route charges. */
  exactPrice?: bigint;
  /** Extensions the routes declare; a client signs for the first one it can use when its Permit2 allowance is short. */
  gasSponsoring?: readonly GasSponsoring[];
  /** What a paid `upto` request costs, in OPG units; by default the `X-Devnet-Cost` header, else the maximum. */
  costOf?: (c: Context) => bigint;
  network?: Network;
  maxTimeoutSeconds?: number;
};

const DECLARE = {
  eip2612: declareEip2612GasSponsoringExtension,
  erc20Approval: declareErc20ApprovalGasSponsoringExtension,
} as const satisfies Record<GasSponsoring, () => Record<string, unknown>>;

/** The declarations of `gasSponsoring`'s extensions, merged, as a route's `extensions`. */
export function declareGasSponsoring(gasSponsoring: readonly GasSponsoring[]): Record<string, unknown> {
  return Object.assign({}, ...gasSponsoring.map((name) => DECLARE[name]())) as Record<string, unknown>;
}

/** The `X-Devnet-Cost` of a request, or `fallback`; throws `InvalidRequestError` on a value that is not OPG units. */
export function devnetCostOf(c: Context, fallback: bigint): bigint {
  const header = c.req.header(DEVNET_COST_HEADER);
  if (header === undefined) return fallback;
  if (!/^[0-9]+$/.test(header))
    throw new InvalidRequestError(`${DEVNET_COST_HEADER} is "${header}"; expected a whole number of OPG units.`);
  return BigInt(header);
}

/**
 * A resource server paid in OPG over Permit2 on Base, built from x402's own parts (`x402ResourceServer`, the `upto` and
 * `exact` EVM server schemes, @x402/hono's `paymentMiddleware`): `POST /upto` asks an `upto` authorization of at most
 * `uptoMax` and settles what the request cost (`setSettlementOverrides`), as OpenGradient's gateway does per session;
 * `POST /exact-permit2` asks `exactPrice` with `exact` over Permit2. Both answer `{ charged }` (OPG units, decimal).
 * @example const app = createPermit2Resource({ facilitator: facilitatorUrl, payTo: PAYEE.address })
 */
export function createPermit2Resource({
  facilitator,
  payTo,
  uptoMax = DEFAULT_UPTO_MAX,
  exactPrice = DEFAULT_EXACT_PRICE,
  gasSponsoring = ["erc20Approval"],
  costOf = (c) => devnetCostOf(c, uptoMax),
  network = BASE_NETWORK,
  maxTimeoutSeconds = DEFAULT_MAX_TIMEOUT_SECONDS,
}: Permit2ResourceOptions) {
  const client = typeof facilitator === "string" ? new HTTPFacilitatorClient({ url: facilitator }) : facilitator;
  const server = new x402ResourceServer(client)
    .register(network, new UptoEvmScheme())
    .register(network, new ExactEvmScheme());
  const extensions = declareGasSponsoring(gasSponsoring);
  const optionOf = (scheme: "upto" | "exact", amount: bigint): PaymentOption => ({
    scheme,
    network,
    payTo,
    maxTimeoutSeconds,
    price: {
      asset: OPG_ADDRESS_BASE,
      amount: amount.toString(),
      extra: { ...OPG_EIP712, assetTransferMethod: "permit2" },
    },
  });

  return new Hono()
    .use(
      paymentMiddleware(
        {
          [`POST ${UPTO_PATH}`]: { accepts: optionOf("upto", uptoMax), extensions },
          [`POST ${EXACT_PERMIT2_PATH}`]: { accepts: optionOf("exact", exactPrice), extensions },
        },
        server,
      ),
    )
    .post(UPTO_PATH, (c) => {
      const cost = costOf(c);
      if (cost > uptoMax)
        throw new InvalidRequestError(
          `The request costs ${cost} OPG units; expected at most the authorized ${uptoMax}.`,
        );
      setSettlementOverrides(c, { amount: cost.toString() });
      return c.json({ charged: cost.toString() });
    })
    .post(EXACT_PERMIT2_PATH, (c) => c.json({ charged: exactPrice.toString() }))
    .onError((error, c) =>
      c.json(
        { error: error instanceof Error ? error.message : String(error) },
        error instanceof InvalidRequestError ? 400 : 500,
      ),
    );
}
