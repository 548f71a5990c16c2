import {
  calldataSettlementRelayAbi,
  calldataSettlementRelayBytecode,
  devnetTeeRegistryAbi,
  devnetTeeRegistryBytecode,
  MULTICALL3_ADDRESS,
  multicall3DeployedBytecode,
  USDC_ADDRESS_BASE,
  usdcAbi,
  usdcDeployedBytecode,
} from "@settlescan/abis";
import { type Address, createTestClient, createWalletClient, type Hash, http, publicActions } from "viem";
import { DEPLOYER, FACILITATOR, PAYEE } from "./accounts";
import { devnetChainOf } from "./chains";
import type { Deployment } from "./deployment";
import { DevnetError } from "./errors";
import { loadTees } from "./tees";

type ChainRpc = { name: string; chainId: number; rpcUrl: string };

/** A client for a devnet chain that signs as `account` and can also call anvil's test methods. */
export function devnetClientOf(chain: ChainRpc, account = DEPLOYER) {
  return createWalletClient({ account, chain: devnetChainOf(chain), transport: http(chain.rpcUrl) })
    .extend(publicActions)
    .extend(() => ({
      test: createTestClient({ mode: "anvil", chain: devnetChainOf(chain), transport: http(chain.rpcUrl) }),
    }));
}

export type DevnetClient = ReturnType<typeof devnetClientOf>;

async function confirmed(client: DevnetClient, hash: Hash, what: string) {
  const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  if (receipt.status !== "success")
    throw new DevnetError(`Deploying the devnet failed at "${what}" (tx ${hash} reverted).`);
  return receipt;
}

/**
 * Deploys the devnet contracts on two automining anvil nodes: EIP-3009 USDC and Multicall3 at their canonical Base
 * addresses, TeeRegistry with the devnet enclaves, and SettlementRelay with the facilitator allowed.
 */
export async function deployDevnet({
  base,
  og,
  mintTo = [],
  mintAmount = 1_000_000_000_000n,
}: {
  base: ChainRpc;
  og: ChainRpc;
  /** Accounts that receive `mintAmount` USDC units (6 decimals). */
  mintTo?: Address[];
  mintAmount?: bigint;
}): Promise<Deployment> {
  const baseClient = devnetClientOf(base);
  const ogClient = devnetClientOf(og);

  // USDC at the canonical address: runtime code only, so the token is initialised by a call, not a constructor.
  await baseClient.test.setCode({ address: USDC_ADDRESS_BASE, bytecode: usdcDeployedBytecode });
  const init = await confirmed(
    baseClient,
    await baseClient.writeContract({
      address: USDC_ADDRESS_BASE,
      abi: usdcAbi,
      functionName: "initialize",
      args: ["USD Coin", "USDC", 6, DEPLOYER.address],
    }),
    "USDC initialize",
  );
  await mintUsdc(baseClient, mintTo, mintAmount);
  // x402's facilitator explains a failed verification (nonce used, balance, token name) through Multicall3.
  await baseClient.test.setCode({ address: MULTICALL3_ADDRESS, bytecode: multicall3DeployedBytecode });

  const registryReceipt = await confirmed(
    ogClient,
    await ogClient.deployContract({ abi: devnetTeeRegistryAbi, bytecode: devnetTeeRegistryBytecode }),
    "TeeRegistry deploy",
  );
  const relayReceipt = await confirmed(
    ogClient,
    await ogClient.deployContract({ abi: calldataSettlementRelayAbi, bytecode: calldataSettlementRelayBytecode }),
    "SettlementRelay deploy",
  );
  const teeRegistry = registryReceipt.contractAddress as Address;
  const settlementRelay = relayReceipt.contractAddress as Address;
  await confirmed(
    ogClient,
    await ogClient.writeContract({
      address: settlementRelay,
      abi: calldataSettlementRelayAbi,
      functionName: "setFacilitator",
      args: [FACILITATOR.address, true],
    }),
    "SettlementRelay setFacilitator",
  );

  const tees = Object.values(await loadTees());
  for (const tee of tees) {
    await confirmed(
      ogClient,
      await ogClient.writeContract({
        address: teeRegistry,
        abi: devnetTeeRegistryAbi,
        functionName: "registerTee",
        args: [tee.teeId, tee.publicKey],
      }),
      `TeeRegistry registerTee ${tee.name}`,
    );
  }

  const baseStart = Number(init.blockNumber);
  const ogStart = Number(registryReceipt.blockNumber);
  return {
    chains: {
      base: { chainId: base.chainId, rpcUrl: base.rpcUrl, startBlock: baseStart },
      og: { chainId: og.chainId, rpcUrl: og.rpcUrl, startBlock: ogStart },
    },
    contracts: {
      usdc: { chain: "base", address: USDC_ADDRESS_BASE, startBlock: baseStart },
      teeRegistry: { chain: "og", address: teeRegistry, startBlock: ogStart },
      settlementRelay: { chain: "og", address: settlementRelay, startBlock: Number(relayReceipt.blockNumber) },
    },
    tees: tees.map(({ name, teeId, publicKey }) => ({ name, teeId, publicKey, active: true })),
    accounts: { deployer: DEPLOYER.address, facilitator: FACILITATOR.address, payee: PAYEE.address },
  };
}

/** Mints USDC to each account, all transactions sent before any is awaited. */
export async function mintUsdc(client: DevnetClient, to: Address[], amount: bigint) {
  let nonce = await client.getTransactionCount({ address: DEPLOYER.address, blockTag: "pending" });
  const hashes: Hash[] = [];
  for (const account of to) {
    hashes.push(
      await client.writeContract({
        address: USDC_ADDRESS_BASE,
        abi: usdcAbi,
        functionName: "mint",
        args: [account, amount],
        nonce: nonce++,
        gas: 200_000n,
      }),
    );
  }
  for (const hash of hashes) await confirmed(client, hash, "USDC mint");
}
