import { USDC_ADDRESS_BASE } from "@settlescan/abis";
import type { AssetAmount, Network, PaymentRequirements } from "@x402/core/types";
import type { Address } from "viem";

/** CAIP-2 id of Base mainnet, which the devnet's "base" chain impersonates (chain id 8453). */
export const BASE_NETWORK = "eip155:8453" as const satisfies Network;

/**
 * EIP-712 domain name and version of FiatToken v2.2 on Base (`name()` / `version()` of the canonical USDC);
 * x402's exact scheme reads them from `requirements.extra` to sign and verify `TransferWithAuthorization`.
 */
export const USDC_EIP712 = { name: "USD Coin", version: "2" } as const;

/** Default price of one inference in USDC base units (6 decimals): 0.001 USDC. */
export const DEFAULT_PRICE = 1_000n;

/** Seconds an authorization stays valid (`validBefore = now + this`); x402's examples use 60–300. */
export const DEFAULT_MAX_TIMEOUT_SECONDS = 300;

/** An x402 price in our USDC's base units, with the EIP-712 domain x402 needs for a non-default pricing path. */
export function usdcPriceOf(amount: bigint): AssetAmount {
  return { asset: USDC_ADDRESS_BASE, amount: amount.toString(), extra: { ...USDC_EIP712 } };
}

/**
 * The `exact` payment requirements for paying `amount` USDC base units to `payTo` on Base, as a resource
 * server would advertise them in its 402 response.
 * @example exactUsdcRequirementsOf({ payTo: PAYEE.address, amount: 1000n })
 */
export function exactUsdcRequirementsOf({
  payTo,
  amount,
  maxTimeoutSeconds = DEFAULT_MAX_TIMEOUT_SECONDS,
}: {
  payTo: Address;
  amount: bigint;
  maxTimeoutSeconds?: number;
}): PaymentRequirements {
  return {
    scheme: "exact",
    network: BASE_NETWORK,
    asset: USDC_ADDRESS_BASE,
    amount: amount.toString(),
    payTo,
    maxTimeoutSeconds,
    extra: { ...USDC_EIP712 },
  };
}
