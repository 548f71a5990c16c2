import { ExactEvmScheme } from "@x402/evm/exact/client";
import type { Address, Hex, LocalAccount } from "viem";
import { DevnetError } from "./errors";

/** The x402 `exact` requirements for a USDC payment on a chain (x402 v2 field names). */
export function exactRequirementsOf({
  chainId,
  asset,
  payTo,
  amount,
  maxTimeoutSeconds = 3600,
}: {
  chainId: number;
  asset: Address;
  payTo: Address;
  amount: bigint;
  maxTimeoutSeconds?: number;
}) {
  return {
    scheme: "exact",
    network: `eip155:${chainId}` as const,
    amount: amount.toString(),
    asset,
    payTo,
    maxTimeoutSeconds,
    extra: { name: "USD Coin", version: "2" },
  };
}

export type ExactPayload = {
  authorization: { from: Address; to: Address; value: string; validAfter: string; validBefore: string; nonce: Hex };
  signature: Hex;
};

/**
 * Builds an x402 `exact` (EIP-3009) payment payload with x402's own client scheme, but with a chosen nonce,
 * so a seeded scenario gives the same payment IDs on every run. x402 draws the nonce synchronously from
 * `crypto.getRandomValues` before its first await; that one draw is answered with `nonce`, and the result is
 * checked, so a change in x402 fails loudly instead of silently breaking determinism.
 */
export async function createExactPayloadWithNonce(
  account: LocalAccount,
  requirements: ReturnType<typeof exactRequirementsOf>,
  nonce: Hex,
): Promise<ExactPayload> {
  const scheme = new ExactEvmScheme(account as never);
  const crypto = globalThis.crypto;
  const original = crypto.getRandomValues;
  const nonceBytes = Buffer.from(nonce.slice(2), "hex");
  crypto.getRandomValues = (<T extends ArrayBufferView | null>(array: T): T => {
    if (array instanceof Uint8Array && array.length === 32) array.set(nonceBytes);
    else original.call(crypto, array as never);
    return array;
  }) as typeof crypto.getRandomValues;
  let pending: Promise<{ payload: Record<string, unknown> }>;
  try {
    pending = scheme.createPaymentPayload(2, requirements as never) as never;
  } finally {
    crypto.getRandomValues = original;
  }
  const payload = (await pending).payload as ExactPayload;
  if (payload.authorization.nonce.toLowerCase() !== nonce.toLowerCase())
    throw new DevnetError(
      `x402's exact client did not use the scenario nonce ${nonce} (got ${payload.authorization.nonce}).`,
      { details: "The @x402/evm version changed how it draws nonces; update devnet/src/x402Payload.ts." },
    );
  return payload;
}
