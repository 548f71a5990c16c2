import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Address } from "viem";

/** Where the chains and contracts are: from a deployment JSON (the devnet's by default), overridable by env. */
export type Networks = {
  payment: { name: "base"; chainId: number; rpcUrl: string; usdc: Address; usdcStartBlock: number; endBlock?: number };
  verification: {
    name: "og";
    chainId: number;
    rpcUrl: string;
    teeRegistry: Address;
    teeRegistryStartBlock: number;
    settlementRelay: Address;
    settlementRelayStartBlock: number;
    endBlock?: number;
  };
};

type DeploymentFile = {
  chains: Record<"base" | "og", { chainId: number; rpcUrl: string }>;
  contracts: Record<"usdc" | "teeRegistry" | "settlementRelay", { address: Address; startBlock: number }>;
};

/** The devnet writes its deployment here (DESIGN.md §7). */
export const DEFAULT_DEPLOYMENT_PATH = fileURLToPath(new URL("../../../devnet/deployment.json", import.meta.url));

/**
 * Reads the networks to index. `SETTLESCAN_DEPLOYMENT` names a deployment JSON; `BASE_RPC_URL`, `OG_RPC_URL`,
 * `BASE_CHAIN_ID`, `OG_CHAIN_ID`, `USDC_ADDRESS`, `TEE_REGISTRY_ADDRESS`, `SETTLEMENT_RELAY_ADDRESS` and the
 * matching `*_START_BLOCK` override it, so real networks need no file at all. `BASE_END_BLOCK` / `OG_END_BLOCK`
 * stop indexing at a block (reproducible indexes of a fixed chain, as tests and benchmarks need).
 */
export function networksOf(env: Record<string, string | undefined> = process.env): Networks {
  const path = env.SETTLESCAN_DEPLOYMENT ?? DEFAULT_DEPLOYMENT_PATH;
  const file: Partial<DeploymentFile> = existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : {};
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined || value === "")
      throw new Error(
        `No ${what} for the indexer: set it in the environment or start the devnet (npm run devnet), which writes ${path}.`,
      );
    return value;
  };
  const num = (value: string | undefined) => (value === undefined || value === "" ? undefined : Number(value));
  return {
    payment: {
      name: "base",
      chainId: need(num(env.BASE_CHAIN_ID) ?? file.chains?.base.chainId, "BASE_CHAIN_ID"),
      rpcUrl: need(env.BASE_RPC_URL ?? file.chains?.base.rpcUrl, "BASE_RPC_URL"),
      usdc: need((env.USDC_ADDRESS as Address) ?? file.contracts?.usdc.address, "USDC_ADDRESS"),
      usdcStartBlock: need(num(env.USDC_START_BLOCK) ?? file.contracts?.usdc.startBlock, "USDC_START_BLOCK"),
      endBlock: num(env.BASE_END_BLOCK),
    },
    verification: {
      name: "og",
      chainId: need(num(env.OG_CHAIN_ID) ?? file.chains?.og.chainId, "OG_CHAIN_ID"),
      rpcUrl: need(env.OG_RPC_URL ?? file.chains?.og.rpcUrl, "OG_RPC_URL"),
      teeRegistry: need(
        (env.TEE_REGISTRY_ADDRESS as Address) ?? file.contracts?.teeRegistry.address,
        "TEE_REGISTRY_ADDRESS",
      ),
      teeRegistryStartBlock: need(
        num(env.TEE_REGISTRY_START_BLOCK) ?? file.contracts?.teeRegistry.startBlock,
        "TEE_REGISTRY_START_BLOCK",
      ),
      settlementRelay: need(
        (env.SETTLEMENT_RELAY_ADDRESS as Address) ?? file.contracts?.settlementRelay.address,
        "SETTLEMENT_RELAY_ADDRESS",
      ),
      settlementRelayStartBlock: need(
        num(env.SETTLEMENT_RELAY_START_BLOCK) ?? file.contracts?.settlementRelay.startBlock,
        "SETTLEMENT_RELAY_START_BLOCK",
      ),
      endBlock: num(env.OG_END_BLOCK),
    },
  };
}
