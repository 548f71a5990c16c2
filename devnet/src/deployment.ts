import { readFileSync, writeFileSync } from "node:fs";
import type { Address, Hex } from "viem";
import { DevnetError } from "./errors";
import type { TeeKeyName } from "./tees";

/** Where the devnet writes its deployment and the indexer reads it by default (docs/protocol.md; git-ignored). */
export const DEPLOYMENT_PATH = new URL("../deployment.json", import.meta.url).pathname;

export type ChainName = "base" | "og";

export type DeployedContract = { chain: ChainName; address: Address; startBlock: number };

/** A devnet enclave as deployed: `registered` in the TEE registry, and `enabled` there when the deploy ended. */
export type DeployedTee = {
  name: TeeKeyName;
  teeId: Hex;
  publicKey: Hex;
  pcrHash: Hex;
  registered: boolean;
  enabled: boolean;
};

/** The shape of `devnet/deployment.json`: everything the devnet's own tools need to drive it. */
export type Deployment = {
  chains: Record<ChainName, { chainId: number; rpcUrl: string; startBlock: number }>;
  contracts: {
    /** EIP-3009 USDC at Base's canonical address. */
    usdc: DeployedContract;
    /** Uniswap's Permit2 at its canonical address ("base"). */
    permit2: DeployedContract;
    /** x402's `upto` Permit2 proxy at its canonical address (Settlescan's code, x402's ABI). */
    uptoProxy: DeployedContract;
    /** x402's `exact` Permit2 proxy at its canonical address (Settlescan's code, x402's ABI). */
    exactProxy: DeployedContract;
    /** The OPG stand-in at OPG's Base address: 18 decimals, EIP-712 "OpenGradient" / "1", ERC-2612. */
    opg: DeployedContract;
    /** OpenGradient's TEERegistry. */
    teeRegistry: DeployedContract;
    /** TEEInferenceVerifier, the v3 relay's `SETTLEMENT_CONTRACT`. */
    teeVerifier: DeployedContract;
    /** SettlementRelayV3: anyone may post; only known signers' posts are official. */
    relay: DeployedContract;
    /** SettlementRelayV1, the legacy relay (hashes and bare roots, no blob id). */
    legacyRelay: DeployedContract;
  };
  /** The Walrus-compatible blob service: the publisher stores (`PUT /v1/blobs`), the aggregator serves. */
  walrus: { publisherUrl: string; aggregatorUrl: string };
  tees: DeployedTee[];
  accounts: {
    deployer: Address;
    /** The proof facilitator's signers (official on the v3 relay; `facilitator` also on the legacy relay). */
    facilitator: Address;
    facilitator2: Address;
    /** The exact-link facilitator's signer (official on the v3 relay). */
    exactFacilitator: Address;
    /** Posts to the v3 relay without being a known signer: its settlements are unofficial. */
    unofficialPoster: Address;
    /** The gateway's payee: x402 payments go here; the enclaves' registered payment address. */
    payee: Address;
  };
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
