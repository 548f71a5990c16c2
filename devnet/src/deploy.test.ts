import {
  calldataSettlementRelayAbi,
  devnetTeeRegistryAbi,
  MULTICALL3_ADDRESS,
  teeIdOf,
  USDC_ADDRESS_BASE,
  usdcAbi,
} from "@settlescan/abis";
import { createPublicClient, http } from "viem";
import { afterAll, beforeAll, expect, test } from "vitest";
import { FACILITATOR } from "./accounts";
import { BASE_CHAIN_ID, OG_CHAIN_ID } from "./chains";
import { readDeployment, writeDeployment } from "./deployment";
import { type Devnet, startDevnet } from "./devnet";

let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet({ ports: "free" });
}, 60_000);
afterAll(() => devnet?.stop());

test("default: deployment JSON shape", () => {
  const { deployment } = devnet;
  expect(deployment.chains.base.chainId).toBe(BASE_CHAIN_ID);
  expect(deployment.chains.og.chainId).toBe(OG_CHAIN_ID);
  expect(deployment.contracts.usdc).toMatchObject({ chain: "base", address: USDC_ADDRESS_BASE });
  expect(deployment.contracts.teeRegistry.chain).toBe("og");
  expect(deployment.contracts.settlementRelay.chain).toBe("og");
  for (const contract of Object.values(deployment.contracts)) expect(contract.startBlock).toBeGreaterThan(0);
  expect(deployment.tees.map((t) => t.name).sort()).toEqual([
    "tee-alpha",
    "tee-beta",
    "tee-gamma",
    "tee-mismatch",
    "tee-revoked",
  ]);
  expect(Object.keys(deployment.accounts).sort()).toEqual(["deployer", "facilitator", "payee"]);
});

test("behavior: the deployment file round-trips", () => {
  const path = `${process.env.TMPDIR ?? "/tmp"}/settlescan-deployment-${process.pid}.json`;
  writeDeployment(devnet.deployment, path);
  expect(readDeployment(path)).toEqual(devnet.deployment);
});

test("args: a missing deployment file says how to make one", () => {
  expect(() => readDeployment("/nonexistent/deployment.json")).toThrowErrorMatchingInlineSnapshot(`
    [DevnetError: No devnet deployment at /nonexistent/deployment.json.
    Start the devnet first: npm run devnet]
  `);
});

test("default: USDC answers as Circle's token at the canonical address", async () => {
  const base = createPublicClient({ transport: http(devnet.deployment.chains.base.rpcUrl) });
  const read = (functionName: "name" | "version" | "decimals") =>
    base.readContract({ address: USDC_ADDRESS_BASE, abi: usdcAbi, functionName });
  expect([await read("name"), await read("version"), await read("decimals")]).toEqual(["USD Coin", "2", 6]);
});

test("default: Multicall3 batches reads at its canonical address on base", async () => {
  const base = createPublicClient({ transport: http(devnet.deployment.chains.base.rpcUrl) });
  const usdc = { address: USDC_ADDRESS_BASE, abi: usdcAbi } as const;
  const results = await base.multicall({
    multicallAddress: MULTICALL3_ADDRESS,
    contracts: [
      { ...usdc, functionName: "name" },
      { ...usdc, functionName: "decimals" },
      { ...usdc, functionName: "transfer", args: [FACILITATOR.address, 1n] },
    ],
  });
  expect(results.map((r) => r.status)).toEqual(["success", "success", "failure"]);
  expect(results.slice(0, 2).map((r) => r.result)).toEqual(["USD Coin", 6]);
});

test("default: enclaves registered, facilitator allowed", async () => {
  const og = createPublicClient({ transport: http(devnet.deployment.chains.og.rpcUrl) });
  const { teeRegistry, settlementRelay } = devnet.deployment.contracts;
  for (const tee of devnet.deployment.tees) {
    const key = await og.readContract({
      address: teeRegistry.address,
      abi: devnetTeeRegistryAbi,
      functionName: "publicKeyOf",
      args: [tee.teeId],
    });
    expect(key).toBe(tee.publicKey);
    // Only the mismatching enclave is registered under an id that is not its key's hash.
    expect(teeIdOf(tee.publicKey) === tee.teeId).toBe(tee.name !== "tee-mismatch");
  }
  expect(
    await og.readContract({
      address: settlementRelay.address,
      abi: calldataSettlementRelayAbi,
      functionName: "isFacilitator",
      args: [FACILITATOR.address],
    }),
  ).toBe(true);
});
