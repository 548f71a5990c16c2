import { readFileSync, writeFileSync } from "node:fs";
import type { Address, Hex } from "viem";
import { DevnetError } from "./errors";

/** Where the devnet writes its deployment and the indexer reads it by default (DESIGN.md §7; git-ignored). */
export const DEPLOYMENT_PATH = new URL("../deployment.json", import.meta.url).pathname;

export type ChainName = "base" | "og";

export type DeployedContract = { chain: ChainName; address: Address; startBlock: number };

/** The shape of `devnet/deployment.json`: everything an indexer needs to follow the devnet. */
export type Deployment = {
  chains: Record<ChainName, { chainId: number; rpcUrl: string; startBlock: number }>;
  contracts: { usdc: DeployedContract; teeRegistry: DeployedContract; settlementRelay: DeployedContract };
  tees: { name: string; teeId: Hex; publicKey: Hex; active: boolean }[];
  accounts: { deployer: Address; facilitator: Address; payee: Address };
};

export function writeDeployment(deployment: Deployment, path = DEPLOYMENT_PATH) {
  writeFileSync(path, `${JSON.stringify(deployment, null, 2)}\n`);
}

export function readDeployment(path = DEPLOYMENT_PATH): Deployment {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new DevnetError(`No devnet deployment at ${path}.`, {
      cause,
      details: "Start the devnet first: npm run devnet",
    });
  }
  return JSON.parse(text) as Deployment;
}
