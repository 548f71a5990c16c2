import { OPG_ADDRESS_BASE } from "@settlescan/abis";
import type { PaymentPolicy } from "@x402/core/client";
import { x402Client } from "@x402/core/client";
import type { Network } from "@x402/core/types";
import { toClientEvmSigner } from "@x402/evm";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { UptoEvmScheme } from "@x402/evm/upto/client";
import { wrapFetchWithPayment } from "@x402/fetch";
import type { LocalAccount } from "viem";
import { DEFAULT_UPTO_MAX } from "./permit2Resource";
import { BASE_NETWORK } from "./usdc";

/** What x402's client signer reads the chain with: Permit2 allowance, EIP-2612 nonce, the approval's nonce and fees. */
export type ClientChainReader = Parameters<typeof toClientEvmSigner>[1];

/**
 * An x402 client that pays OPG on Base over Permit2 from `account`, with `upto` and with `exact` (x402's client
 * schemes). OPG is not one of x402's default assets, so it is allowed explicitly, capped at `maxAmountPerPayment`
 * (x402 2.27 refuses any other asset). `reader` lets the gas-sponsoring paths see the Permit2 allowance and sign the
 * EIP-2612 permit or the `approve` transaction.
 * @example const client = permit2PaymentClientOf({ account: ALICE, reader: publicClient })
 */
export function permit2PaymentClientOf({
  account,
  reader,
  maxAmountPerPayment = DEFAULT_UPTO_MAX,
  network = BASE_NETWORK,
  policies = [],
}: {
  account: LocalAccount;
  reader: ClientChainReader;
  maxAmountPerPayment?: bigint;
  network?: Network;
  /** x402 client policies (e.g. keep only one scheme of what a server offers). */
  policies?: PaymentPolicy[];
}): x402Client {
  const signer = toClientEvmSigner(account, reader);
  return x402Client.fromConfig({
    schemes: [
      { network, client: new UptoEvmScheme(signer) },
      { network, client: new ExactEvmScheme(signer) },
    ],
    policies,
    spendControls: {
      allowedAssets: [{ network, asset: OPG_ADDRESS_BASE, maxAmountPerPayment: maxAmountPerPayment.toString() }],
    },
  });
}

/**
 * `fetch` that answers HTTP 402 by paying OPG over Permit2 from `account` (x402's `wrapFetchWithPayment`).
 * @example const pay = createPermit2PayingFetch({ account: ALICE, reader: publicClient }); await pay(url, { method: "POST" })
 */
export function createPermit2PayingFetch({
  fetch = globalThis.fetch,
  ...options
}: Parameters<typeof permit2PaymentClientOf>[0] & { fetch?: typeof globalThis.fetch }) {
  return wrapFetchWithPayment(fetch, permit2PaymentClientOf(options));
}
