// Test fixture: both devnet chains on real anvil nodes, contracts in place, and the x402 servers on loopback.
// TODO(devnet): switch to ../chains.ts + ../deploy.ts once they land, so tests exercise the real deployment.
import {
  settlementRelayAbi,
  settlementRelayBytecode,
  teeRegistryAbi,
  teeRegistryBytecode,
  USDC_ADDRESS_BASE,
  usdcAbi,
  usdcDeployedBytecode,
} from "@settlescan/abis";
import { type Abi, type Address, createWalletClient, type Hex, http, type LocalAccount } from "viem";
import { anvilAccount, startAnvil, type TestAnvil } from "../../../abis/test/anvil";
import { createFacilitatorServer, type FacilitatorServerOptions } from "./facilitatorServer";
import { createInferenceServer } from "./inferenceServer";
import { type Served, serveOnLoopback } from "./serve";
import { createTee, type Tee } from "./tee";

export const DEPLOYER = anvilAccount(0);
export const FACILITATOR = anvilAccount(1);
export const PAYEE = anvilAccount(2);
export const ALICE = anvilAccount(3);
export const BOB = anvilAccount(4);

/** USDC each client starts with: 1,000 USDC. */
export const CLIENT_FUNDS = 1_000_000_000n;

export type TestChains = {
  base: TestAnvil;
  og: TestAnvil;
  relay: Address;
  registry: Address;
  tee: Tee;
  stop: () => Promise<void>;
};

async function mined(anvil: TestAnvil, hash: Promise<Hex>) {
  const receipt = await anvil.client.waitForTransactionReceipt({ hash: await hash });
  if (receipt.status !== "success") throw new Error(`Setup transaction ${receipt.transactionHash} reverted.`);
  return receipt;
}

async function deploy(anvil: TestAnvil, abi: Abi, bytecode: Hex): Promise<Address> {
  const receipt = await mined(anvil, anvil.client.deployContract({ abi, bytecode, account: DEPLOYER }));
  return receipt.contractAddress as Address;
}

/** Starts "base" (8453, USDC at its canonical address) and "og" (10744, TeeRegistry + SettlementRelay). */
export async function startTestChains(): Promise<TestChains> {
  const [base, og] = await Promise.all([startAnvil({ chainId: 8453 }), startAnvil({ chainId: 10744 })]);
  await base.client.setCode({ address: USDC_ADDRESS_BASE, bytecode: usdcDeployedBytecode });
  const usdc = { address: USDC_ADDRESS_BASE, abi: usdcAbi, account: DEPLOYER } as const;
  await mined(
    base,
    base.client.writeContract({ ...usdc, functionName: "initialize", args: ["USD Coin", "USDC", 6, DEPLOYER.address] }),
  );
  for (const client of [ALICE, BOB])
    await mined(
      base,
      base.client.writeContract({ ...usdc, functionName: "mint", args: [client.address, CLIENT_FUNDS] }),
    );

  const registry = await deploy(og, teeRegistryAbi, teeRegistryBytecode);
  const relay = await deploy(og, settlementRelayAbi, settlementRelayBytecode);
  await mined(
    og,
    og.client.writeContract({
      address: relay,
      abi: settlementRelayAbi,
      functionName: "setFacilitator",
      args: [FACILITATOR.address, true],
      account: DEPLOYER,
    }),
  );
  const tee = await createTee();
  await mined(
    og,
    og.client.writeContract({
      address: registry,
      abi: teeRegistryAbi,
      functionName: "registerTee",
      args: [tee.teeId, tee.publicKey],
      account: DEPLOYER,
    }),
  );
  return { base, og, relay, registry, tee, stop: async () => void (await Promise.all([base.stop(), og.stop()])) };
}

/** A wallet client for `account` on a test chain. */
export function accountClientOf(anvil: TestAnvil, account: LocalAccount) {
  return createWalletClient({ account, chain: anvil.chain, transport: http(anvil.rpcUrl), pollingInterval: 50 });
}

export type TestServers = {
  facilitator: ReturnType<typeof createFacilitatorServer>;
  facilitatorUrl: string;
  inferenceUrl: string;
  close: () => Promise<void>;
};

/** The facilitator and inference servers on loopback, wired to `chains`. */
export async function startTestServers(
  chains: TestChains,
  options: Pick<FacilitatorServerOptions, "batch" | "onBatchPosted"> = {},
): Promise<TestServers> {
  const facilitator = createFacilitatorServer({
    baseClient: accountClientOf(chains.base, FACILITATOR),
    ogClient: accountClientOf(chains.og, FACILITATOR),
    relay: chains.relay,
    ...options,
  });
  const facilitatorServed: Served = await serveOnLoopback(facilitator.app.fetch);
  const inference = createInferenceServer({
    facilitatorUrl: facilitatorServed.url,
    payTo: PAYEE.address,
    tees: [chains.tee],
  });
  const inferenceServed = await serveOnLoopback(inference.app.fetch);
  return {
    facilitator,
    facilitatorUrl: facilitatorServed.url,
    inferenceUrl: inferenceServed.url,
    async close() {
      await inferenceServed.close();
      await facilitator.close();
      await facilitatorServed.close();
    },
  };
}
