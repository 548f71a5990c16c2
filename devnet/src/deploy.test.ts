import { readFileSync } from "node:fs";
import {
  eventBytesOfBlobId,
  fetchBlob,
  MULTICALL3_ADDRESS,
  OPG_ADDRESS_BASE,
  PERMIT2_ADDRESS,
  parseProfile,
  settlementRelayV1Abi,
  settlementRelayV3Abi,
  teeIdOf,
  teeInferenceVerifierAbi,
  teeRegistryAbi,
  USDC_ADDRESS_BASE,
  uploadBlob,
  usdcAbi,
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
} from "@settlescan/abis";
import { BaseError, ContractFunctionRevertedError, createPublicClient, http, stringToHex } from "viem";
import { afterAll, beforeAll, expect, test } from "vitest";
import { EXACT_FACILITATOR, FACILITATOR, FACILITATOR_2, PAYEE, UNOFFICIAL_POSTER } from "./accounts";
import { BASE_CHAIN_ID, OG_CHAIN_ID } from "./chains";
import { devnetClientOf, LLM_PROXY_TEE_TYPE, SETTLEMENT_RELAY_ROLE, TEE_PRECOMPILE_ADDRESS } from "./deploy";
import { readDeployment, writeDeployment } from "./deployment";
import { type Devnet, startDevnet } from "./devnet";
import { devnetProfileOf, writeProfile } from "./profile";
import { loadTees, PCR_SETS } from "./tees";

let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet({ ports: "free" });
}, 60_000);
afterAll(() => devnet?.stop());

const og = () => createPublicClient({ transport: http(devnet.deployment.chains.og.rpcUrl) });

/** The error a call reverts with: the custom error's name, or a `require` message. */
async function revertOf(action: Promise<unknown>): Promise<string> {
  try {
    await action;
  } catch (error) {
    const reverted = error instanceof BaseError && error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError)
      return reverted.data?.errorName === "Error"
        ? String(reverted.data.args?.[0])
        : String(reverted.data?.errorName ?? reverted.reason);
    throw error;
  }
  throw new Error("Expected the call to revert, but it succeeded.");
}

test("default: deployment JSON shape", () => {
  const { deployment } = devnet;
  expect(deployment.chains.base.chainId).toBe(BASE_CHAIN_ID);
  expect(deployment.chains.og.chainId).toBe(10740);
  expect(OG_CHAIN_ID).toBe(10740);
  expect(deployment.contracts.usdc).toMatchObject({ chain: "base", address: USDC_ADDRESS_BASE });
  const { usdc, permit2, uptoProxy, exactProxy, opg, ...ogContracts } = deployment.contracts;
  expect([permit2, uptoProxy, exactProxy, opg].map((c) => [c.chain, c.address])).toEqual([
    ["base", PERMIT2_ADDRESS],
    ["base", X402_UPTO_PERMIT2_PROXY_ADDRESS],
    ["base", X402_EXACT_PERMIT2_PROXY_ADDRESS],
    ["base", OPG_ADDRESS_BASE],
  ]);
  expect(Object.keys(ogContracts).sort()).toEqual(["legacyRelay", "relay", "teeRegistry", "teeVerifier"]);
  for (const contract of Object.values(ogContracts)) expect(contract.chain).toBe("og");
  expect(new Set(Object.values(ogContracts).map((c) => c.address)).size).toBe(4);
  for (const contract of Object.values(deployment.contracts)) expect(contract.startBlock).toBeGreaterThan(0);
  expect(deployment.tees.map((t) => [t.name, t.registered, t.enabled])).toEqual([
    ["tee-alpha", true, true],
    ["tee-beta", true, true],
    ["tee-gamma", true, true],
    ["tee-revoked", true, true],
    ["tee-disabled", true, true],
    ["tee-unregistered", false, false],
  ]);
  for (const tee of deployment.tees) expect(tee.teeId).toBe(teeIdOf(tee.publicKey));
  expect(deployment.walrus.publisherUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(deployment.walrus.aggregatorUrl).toBe(devnet.walrus.aggregatorUrl);
  expect(deployment.accounts).toEqual({
    deployer: expect.any(String),
    facilitator: FACILITATOR.address,
    facilitator2: FACILITATOR_2.address,
    exactFacilitator: EXACT_FACILITATOR.address,
    unofficialPoster: UNOFFICIAL_POSTER.address,
    payee: PAYEE.address,
  });
  // Every role is a distinct account.
  expect(new Set(Object.values(deployment.accounts)).size).toBe(6);
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

test("default: the registry holds the enclaves with their keys, PCR hashes and PAYEE as payment address", async () => {
  const registry = { address: devnet.deployment.contracts.teeRegistry.address, abi: teeRegistryAbi } as const;
  const client = og();
  expect(await client.getCode({ address: TEE_PRECOMPILE_ADDRESS })).toMatch(/^0x[0-9a-f]{100,}$/);
  expect(await client.readContract({ ...registry, functionName: "isValidTEEType", args: [LLM_PROXY_TEE_TYPE] })).toBe(
    true,
  );
  const tees = await loadTees();
  for (const set of ["A", "B"] as const) {
    const pcrHash = Object.values(tees).find((t) => t.pcrSet === set)!.pcrHash;
    expect(
      await client.readContract({ ...registry, functionName: "isPCRApproved", args: [LLM_PROXY_TEE_TYPE, pcrHash] }),
    ).toBe(true);
  }
  expect(tees["tee-revoked"].pcrHash).not.toBe(tees["tee-alpha"].pcrHash);
  expect(PCR_SETS.A.pcr0).toHaveLength(2 + 96);

  for (const tee of devnet.deployment.tees.filter((t) => t.registered)) {
    const info = await client.readContract({ ...registry, functionName: "getTEE", args: [tee.teeId] });
    expect(info).toMatchObject({
      publicKey: tee.publicKey,
      pcrHash: tee.pcrHash,
      paymentAddress: PAYEE.address,
      endpoint: `http://127.0.0.1:${devnet.gatewayPort}`,
      teeType: LLM_PROXY_TEE_TYPE,
      enabled: true,
    });
  }
  const unregistered = devnet.deployment.tees.find((t) => t.name === "tee-unregistered")!;
  expect(await revertOf(client.readContract({ ...registry, functionName: "getTEE", args: [unregistered.teeId] }))).toBe(
    "TEENotFound",
  );
});

test("default: the v3 relay checks through TEEInferenceVerifier and lets anyone post; the v1 relay only FACILITATOR", async () => {
  const { relay, legacyRelay, teeVerifier, teeRegistry } = devnet.deployment.contracts;
  const client = og();
  expect(
    await client.readContract({
      address: relay.address,
      abi: settlementRelayV3Abi,
      functionName: "SETTLEMENT_CONTRACT",
    }),
  ).toBe(teeVerifier.address);
  expect(
    await client.readContract({ address: teeVerifier.address, abi: teeInferenceVerifierAbi, functionName: "registry" }),
  ).toBe(teeRegistry.address);
  const hasRole = (account: `0x${string}`) =>
    client.readContract({
      address: legacyRelay.address,
      abi: settlementRelayV1Abi,
      functionName: "hasRole",
      args: [SETTLEMENT_RELAY_ROLE, account],
    });
  expect([await hasRole(FACILITATOR.address), await hasRole(UNOFFICIAL_POSTER.address)]).toEqual([true, false]);

  const chain = { name: "og", ...devnet.deployment.chains.og };
  const poster = devnetClientOf(chain, UNOFFICIAL_POSTER);
  const root = stringToHex("root", { size: 32 });
  const blobId = await uploadBlob(devnet.deployment.walrus.publisherUrl, "{}");
  const hash = await poster.writeContract({
    address: relay.address,
    abi: settlementRelayV3Abi,
    functionName: "batchSettle",
    args: [root, 1n, eventBytesOfBlobId(blobId)],
  });
  expect((await poster.waitForTransactionReceipt({ hash })).status).toBe("success");
  expect(
    await revertOf(
      poster.simulateContract({
        address: legacyRelay.address,
        abi: settlementRelayV1Abi,
        functionName: "batchSettle",
        args: [root, 1n],
      }),
    ),
  ).toBe("AccessControlUnauthorizedAccount");

  // An individual settlement passes for a registered enclave, and is refused for an unregistered one.
  const tees = await loadTees();
  const block = await client.getBlock();
  const settle = (name: "tee-alpha" | "tee-unregistered") => {
    const fields = { inputHash: stringToHex("in", { size: 32 }), outputHash: stringToHex("out", { size: 32 }) };
    return tees[name].sign({ ...fields, timestamp: block.timestamp }).then((signature) =>
      devnetClientOf(chain, FACILITATOR).simulateContract({
        address: relay.address,
        abi: settlementRelayV3Abi,
        functionName: "settleIndividual",
        args: [
          tees[name].teeId,
          fields.inputHash,
          fields.outputHash,
          block.timestamp,
          PAYEE.address,
          eventBytesOfBlobId(blobId),
          signature,
        ],
      }),
    );
  };
  await expect(settle("tee-alpha")).resolves.toBeDefined();
  expect(await revertOf(settle("tee-unregistered"))).toBe("Invalid signature");
});

test("default: the blob service stores and serves at the deployment's URLs", async () => {
  const { publisherUrl, aggregatorUrl } = devnet.deployment.walrus;
  const blobId = await uploadBlob(publisherUrl, '{"hello":"walrus"}');
  const blob = await fetchBlob(aggregatorUrl, blobId);
  expect(blob.status === "available" && new TextDecoder().decode(blob.bytes)).toBe('{"hello":"walrus"}');
});

test("default: the profile parses and names both relays with their signers", () => {
  const profile = devnetProfileOf(devnet.deployment);
  const { contracts, chains, walrus } = devnet.deployment;
  expect(profile.payment).toEqual({
    chainId: 8453,
    rpcUrl: chains.base.rpcUrl,
    startBlock: chains.base.startBlock,
    tokens: [
      { address: USDC_ADDRESS_BASE, symbol: "USDC", decimals: 6 },
      { address: OPG_ADDRESS_BASE, symbol: "OPG", decimals: 18 },
    ],
    permit2: PERMIT2_ADDRESS,
    proxies: { exact: X402_EXACT_PERMIT2_PROXY_ADDRESS, upto: X402_UPTO_PERMIT2_PROXY_ADDRESS },
    contractStartBlocks: {
      permit2: contracts.permit2.startBlock,
      exactProxy: contracts.exactProxy.startBlock,
      uptoProxy: contracts.uptoProxy.startBlock,
    },
    facilitators: [
      { address: FACILITATOR.address, name: "devnet facilitator" },
      { address: FACILITATOR_2.address, name: "devnet facilitator 2" },
    ],
  });
  expect(profile.verification.chainId).toBe(10740);
  expect(
    profile.verification.relays.map(({ address, abi, startBlock, signers }) => ({ address, abi, startBlock, signers })),
  ).toEqual([
    {
      address: contracts.relay.address,
      abi: "v3",
      startBlock: contracts.relay.startBlock,
      signers: [FACILITATOR.address, FACILITATOR_2.address, EXACT_FACILITATOR.address],
    },
    {
      address: contracts.legacyRelay.address,
      abi: "v1",
      startBlock: contracts.legacyRelay.startBlock,
      signers: [FACILITATOR.address],
    },
  ]);
  expect(profile.verification.teeRegistries).toEqual([
    { address: contracts.teeRegistry.address, startBlock: contracts.teeRegistry.startBlock },
  ]);
  expect(profile.verification.walrus).toEqual({ aggregator: walrus.aggregatorUrl, publisher: walrus.publisherUrl });
  expect(profile.gateways).toMatchObject([
    { paymentAddress: PAYEE.address, sessionIdleSeconds: 100, sessionMaxSeconds: 900 },
  ]);

  const path = `${process.env.TMPDIR ?? "/tmp"}/settlescan-profile-${process.pid}.json`;
  writeProfile(profile, path);
  expect(parseProfile(JSON.parse(readFileSync(path, "utf8")), path)).toEqual(profile);
});
