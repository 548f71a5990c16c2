import {
  devnetAttestationDocumentOf,
  devnetTeeVerifierDeployedBytecode,
  MULTICALL3_ADDRESS,
  multicall3DeployedBytecode,
  settlementRelayV1Abi,
  settlementRelayV1Bytecode,
  settlementRelayV3Abi,
  settlementRelayV3Bytecode,
  teeInferenceVerifierAbi,
  teeInferenceVerifierBytecode,
  teeRegistryAbi,
  teeRegistryBytecode,
  USDC_ADDRESS_BASE,
  usdcAbi,
  usdcDeployedBytecode,
} from "@settlescan/abis";
import {
  type Address,
  createTestClient,
  createWalletClient,
  getAddress,
  type Hash,
  http,
  keccak256,
  publicActions,
  stringToHex,
} from "viem";
import { DEPLOYER, EXACT_FACILITATOR, FACILITATOR, FACILITATOR_2, PAYEE, UNOFFICIAL_POSTER } from "./accounts";
import { deployPermit2Payments } from "./base/permit2Payments";
import { devnetChainOf } from "./chains";
import type { DeployedTee, Deployment } from "./deployment";
import { DevnetError } from "./errors";
import { loadTees, PCR_SETS, type Tee } from "./tees";

type ChainRpc = { name: string; chainId: number; rpcUrl: string };

/** Where OpenGradient's chain has its TEE precompile; the devnet installs DevnetTeeVerifier's runtime code there. */
export const TEE_PRECOMPILE_ADDRESS: Address = "0x0000000000000000000000000000000000000900";
/** TEE type 0, "LLMProxy": the type OpenGradient's gateways register with. */
export const LLM_PROXY_TEE_TYPE = 0;
/** The legacy relay's role that may post (`keccak256("SETTLEMENT_RELAY_ROLE")`). */
export const SETTLEMENT_RELAY_ROLE = keccak256(stringToHex("SETTLEMENT_RELAY_ROLE"));
/** Stand-in TLS certificate bytes an enclave registers with (the devnet's precompile does not read them). */
const DEVNET_TLS_CERTIFICATE = stringToHex("settlescan devnet enclave TLS certificate");
/** Gas ETH for the og signers that are not among anvil's funded accounts on an attached node. */
const SIGNER_BALANCE = 10n ** 22n;

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

async function deployed(client: DevnetClient, hash: Hash, what: string) {
  const receipt = await confirmed(client, hash, what);
  return { address: getAddress(receipt.contractAddress as Address), startBlock: Number(receipt.blockNumber) };
}

/** `registerTEEWithAttestation`'s arguments for a devnet enclave: its devnet attestation document, key and payee. */
export function registrationArgsOf(
  tee: Tee,
  { paymentAddress, endpoint }: { paymentAddress: Address; endpoint: string },
) {
  return [
    devnetAttestationDocumentOf({ ...tee.pcrs, signingPublicKey: tee.publicKey }),
    tee.publicKey,
    DEVNET_TLS_CERTIFICATE,
    paymentAddress,
    endpoint,
    LLM_PROXY_TEE_TYPE,
  ] as const;
}

/**
 * Deploys the devnet on two automining anvil nodes. "base": EIP-3009 USDC and Multicall3 at their canonical
 * addresses, and x402's Permit2 payments (`deployPermit2Payments`: Permit2, the upto and exact proxies, OPG).
 * "og": DevnetTeeVerifier's code at the TEE precompile's address, TEERegistry with TEE type 0 and the devnet's two
 * images approved and its enclaves registered (all but `tee-unregistered`), TEEInferenceVerifier, SettlementRelayV3
 * checking individual settlements through it, and SettlementRelayV1 with FACILITATOR as relay.
 */
export async function deployDevnet({
  base,
  og,
  walrus,
  gatewayUrl = "http://127.0.0.1:8402",
  mintTo = [],
  mintAmount = 1_000_000_000_000n,
}: {
  base: ChainRpc;
  og: ChainRpc;
  walrus: { publisherUrl: string; aggregatorUrl: string };
  /** The endpoint the enclaves register (the devnet's TEE gateway). */
  gatewayUrl?: string;
  /** Accounts that receive `mintAmount` USDC units (6 decimals), and 1,000 OPG each. */
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
  // x402 payments over Permit2 (OPG upto sessions, exact over Permit2); the USDC holders hold OPG too.
  const permit2Payments = await deployPermit2Payments(baseClient, { mintTo });

  await ogClient.test.setCode({ address: TEE_PRECOMPILE_ADDRESS, bytecode: devnetTeeVerifierDeployedBytecode });
  for (const signer of [EXACT_FACILITATOR, UNOFFICIAL_POSTER, FACILITATOR_2])
    await ogClient.test.setBalance({ address: signer.address, value: SIGNER_BALANCE });

  const teeRegistry = await deployed(
    ogClient,
    await ogClient.deployContract({ abi: teeRegistryAbi, bytecode: teeRegistryBytecode }),
    "TEERegistry deploy",
  );
  const registry = { address: teeRegistry.address, abi: teeRegistryAbi } as const;
  await confirmed(
    ogClient,
    await ogClient.writeContract({ ...registry, functionName: "addTEEType", args: [LLM_PROXY_TEE_TYPE, "LLMProxy"] }),
    "TEERegistry addTEEType",
  );
  for (const [name, { version, ...pcrs }] of Object.entries(PCR_SETS))
    await confirmed(
      ogClient,
      await ogClient.writeContract({
        ...registry,
        functionName: "approvePCR",
        args: [pcrs, version, LLM_PROXY_TEE_TYPE],
      }),
      `TEERegistry approvePCR ${name}`,
    );
  const tees = Object.values(await loadTees());
  for (const tee of tees.filter((t) => t.registered))
    await confirmed(
      ogClient,
      await ogClient.writeContract({
        ...registry,
        functionName: "registerTEEWithAttestation",
        args: registrationArgsOf(tee, { paymentAddress: PAYEE.address, endpoint: gatewayUrl }),
      }),
      `TEERegistry registerTEEWithAttestation ${tee.name}`,
    );

  const teeVerifier = await deployed(
    ogClient,
    await ogClient.deployContract({
      abi: teeInferenceVerifierAbi,
      bytecode: teeInferenceVerifierBytecode,
      args: [teeRegistry.address],
    }),
    "TEEInferenceVerifier deploy",
  );
  const relay = await deployed(
    ogClient,
    await ogClient.deployContract({
      abi: settlementRelayV3Abi,
      bytecode: settlementRelayV3Bytecode,
      args: [teeVerifier.address],
    }),
    "SettlementRelayV3 deploy",
  );
  const legacyRelay = await deployed(
    ogClient,
    await ogClient.deployContract({ abi: settlementRelayV1Abi, bytecode: settlementRelayV1Bytecode }),
    "SettlementRelayV1 deploy",
  );
  await confirmed(
    ogClient,
    await ogClient.writeContract({
      address: legacyRelay.address,
      abi: settlementRelayV1Abi,
      functionName: "grantRole",
      args: [SETTLEMENT_RELAY_ROLE, FACILITATOR.address],
    }),
    "SettlementRelayV1 grantRole",
  );

  const baseStart = Number(init.blockNumber);
  const ogStart = teeRegistry.startBlock;
  return {
    chains: {
      base: { chainId: base.chainId, rpcUrl: base.rpcUrl, startBlock: baseStart },
      og: { chainId: og.chainId, rpcUrl: og.rpcUrl, startBlock: ogStart },
    },
    contracts: {
      usdc: { chain: "base", address: USDC_ADDRESS_BASE, startBlock: baseStart },
      ...permit2Payments,
      teeRegistry: { chain: "og", ...teeRegistry },
      teeVerifier: { chain: "og", ...teeVerifier },
      relay: { chain: "og", ...relay },
      legacyRelay: { chain: "og", ...legacyRelay },
    },
    walrus: { publisherUrl: walrus.publisherUrl, aggregatorUrl: walrus.aggregatorUrl },
    tees: tees.map(
      ({ name, teeId, publicKey, pcrHash, registered }): DeployedTee => ({
        name,
        teeId,
        publicKey,
        pcrHash,
        registered,
        enabled: registered,
      }),
    ),
    accounts: {
      deployer: DEPLOYER.address,
      facilitator: FACILITATOR.address,
      facilitator2: FACILITATOR_2.address,
      exactFacilitator: EXACT_FACILITATOR.address,
      unofficialPoster: UNOFFICIAL_POSTER.address,
      payee: PAYEE.address,
    },
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
