import { createWalletClient, http, type LocalAccount } from "viem";
import { devnetChainOf } from "../chains";
import type { ChainName, Deployment } from "../deployment";

/** Milliseconds between receipt polls: anvil mines at most once a second, viem's 4 s default would add latency. */
export const POLLING_INTERVAL_MS = 100;

/**
 * A viem wallet client on a devnet chain that signs as `account`.
 * @example const ogClient = chainClientOf(deployment, "og", FACILITATOR)
 */
export function chainClientOf(deployment: Deployment, chain: ChainName, account: LocalAccount) {
  const { chainId, rpcUrl } = deployment.chains[chain];
  return createWalletClient({
    account,
    chain: devnetChainOf({ name: chain, chainId, rpcUrl }),
    transport: http(rpcUrl),
    pollingInterval: POLLING_INTERVAL_MS,
  });
}
