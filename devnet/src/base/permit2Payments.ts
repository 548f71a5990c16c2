import {
  OPG_ADDRESS_BASE,
  PERMIT2_ADDRESS,
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
} from "@settlescan/abis";
import type { Address } from "viem";
import type { DevnetClient } from "../deploy";
import type { DeployedContract } from "../deployment";
import { installOpg, mintOpg } from "./opg";
import { deployPermit2 } from "./permit2";
import { installX402Proxies } from "./x402Proxies";

/** The contracts of x402's Permit2 payments on the devnet's "base", all at their Base mainnet addresses. */
export type Permit2Payments = {
  /** Uniswap's Permit2 (SignatureTransfer: nonces, `UnorderedNonceInvalidation`). */
  permit2: DeployedContract;
  /** x402's `upto` proxy (Settlescan's code, x402's ABI). */
  uptoProxy: DeployedContract;
  /** x402's `exact` proxy over Permit2 (Settlescan's code, x402's ABI). */
  exactProxy: DeployedContract;
  /** OPG stand-in: 18 decimals, EIP-712 "OpenGradient" / "1", ERC-2612. */
  opg: DeployedContract;
};

/**
 * Deploys what x402 payments over Permit2 need on the devnet's "base" chain: Permit2 at its canonical address (its real
 * init code through the CREATE2 deployer), Settlescan's `upto` and `exact` proxies at x402's canonical proxy addresses,
 * and the OPG stand-in at OPG's Base address, minting `mintAmount` OPG units to each of `mintTo`.
 * @example const payments = await deployPermit2Payments(devnetClientOf(base), { mintTo: CLIENTS.map((c) => c.address) })
 */
export async function deployPermit2Payments(
  baseClient: DevnetClient,
  { mintTo = [], mintAmount }: { mintTo?: readonly Address[]; mintAmount?: bigint } = {},
): Promise<Permit2Payments> {
  await deployPermit2(baseClient);
  await installX402Proxies(baseClient);
  const { blockNumber } = await installOpg(baseClient);
  if (mintTo.length > 0) await mintOpg(baseClient, mintTo, mintAmount);
  // Every contract is in place from this block on: indexers start here.
  const startBlock = Number(blockNumber);
  const at = (address: Address): DeployedContract => ({ chain: "base", address, startBlock });
  return {
    permit2: at(PERMIT2_ADDRESS),
    uptoProxy: at(X402_UPTO_PERMIT2_PROXY_ADDRESS),
    exactProxy: at(X402_EXACT_PERMIT2_PROXY_ADDRESS),
    opg: at(OPG_ADDRESS_BASE),
  };
}
