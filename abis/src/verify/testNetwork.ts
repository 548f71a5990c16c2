// Test helper, not exported: a verification chain on a real anvil node running OpenGradient's contracts (TEERegistry,
// TEEInferenceVerifier, SettlementRelayV3, the devnet's stand-in for the 0x900 precompile) and the devnet's
// Walrus-compatible blob service, with verbs that sign responses and settle them the way the facilitator does.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Abi, type Address, getAddress, type Hex, type LocalAccount, stringToHex } from "viem";
import { type BlobService, startBlobService } from "../../../devnet/src/walrus/blobService";
import { anvilAccount, startAnvil, type TestAnvil } from "../../test/anvil";
import {
  devnetTeeVerifierDeployedBytecode,
  settlementRelayV3Bytecode,
  teeInferenceVerifierBytecode,
  teeRegistryBytecode,
} from "../bytecode";
import { devnetAttestationDocumentOf } from "../devnetAttestation";
import { individualBlobOf } from "../individualBlob";
import { e3 } from "../leaves";
import { type NetworkProfile, parseProfile } from "../profile";
import { settlementRelayV3Abi } from "../settlementRelayV3Abi";
import { generateTeeKey, importTeePrivateKey, signInference } from "../tee";
import { teeInferenceVerifierAbi } from "../teeInferenceVerifierAbi";
import { teeRegistryAbi } from "../teeRegistryAbi";
import { inputHashOf, outputHashOf, type TeeFields, teeFieldsOf, teeResponseOf } from "../teeResponse";
import { treeDumpOf } from "../treeDump";
import { eventBytesOfBlobId } from "../walrus";

/** Owns the contracts (anvil account 0). */
export const DEPLOYER = anvilAccount(0);
/** The network's facilitator: the profile lists it as the relay's only signer. */
export const FACILITATOR = anvilAccount(1);
/** Anyone else: the v3 relay lets her post too, unofficially. */
export const ALICE = anvilAccount(2);

/** Where OpenGradient's chain has its TEE precompile; the devnet installs DevnetTeeVerifier's code there. */
const TEE_VERIFIER: Address = "0x0000000000000000000000000000000000000900";
const PCRS = { pcr0: stringToHex("pcr0 of the gateway image"), pcr1: stringToHex("pcr1"), pcr2: stringToHex("pcr2") };
/** TEE type 0 (LLMProxy), the type OpenGradient's gateways register with. */
const LLM_PROXY = 0;
const MODEL = "gpt-4.1";

/** A gateway response as the user holds it, with the request it answered. */
export type SignedResponse = { request: string; response: string; fields: TeeFields };

export type VerifyNetwork = Awaited<ReturnType<typeof startVerifyNetwork>>;

/** `http://127.0.0.1:<port>` of a port that was free a moment ago: requests to it are refused. */
export async function closedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * Starts anvil (chain 10740) with the contracts and one registered enclave, and a blob service on a free port.
 * @example const network = await startVerifyNetwork(); afterAll(network.stop)
 */
export async function startVerifyNetwork() {
  const anvil: TestAnvil = await startAnvil({ chainId: 10740 });
  const { client } = anvil;
  // In memory: no directory, so nothing outlives the test.
  const walrus: BlobService = await startBlobService({ port: 0, host: "127.0.0.1" });

  const mined = async (hash: Promise<Hex>) => {
    const receipt = await client.waitForTransactionReceipt({ hash: await hash });
    if (receipt.status !== "success") throw new Error(`Transaction ${receipt.transactionHash} reverted.`);
    return receipt;
  };
  const deploy = async (abi: Abi, bytecode: Hex, args: readonly unknown[] = []) => {
    const { contractAddress } = await mined(client.deployContract({ abi, bytecode, args, account: DEPLOYER }));
    if (!contractAddress) throw new Error("The deployment returned no contract address.");
    return contractAddress;
  };

  await client.setCode({ address: TEE_VERIFIER, bytecode: devnetTeeVerifierDeployedBytecode });
  const registry = getAddress(await deploy(teeRegistryAbi, teeRegistryBytecode));
  const admin = { address: registry, abi: teeRegistryAbi, account: DEPLOYER } as const;
  await mined(client.writeContract({ ...admin, functionName: "addTEEType", args: [LLM_PROXY, "LLMProxy"] }));
  await mined(client.writeContract({ ...admin, functionName: "approvePCR", args: [PCRS, "v1.0.0", LLM_PROXY] }));

  const enclave = async () => {
    const key = await generateTeeKey();
    return { ...key, signingKey: await importTeePrivateKey(key.privateKey) };
  };
  const tee = await enclave();
  /** An enclave with a key of its own that no registry knows: what a forger signs with. */
  const forger = await enclave();
  const document = devnetAttestationDocumentOf({ ...PCRS, signingPublicKey: tee.publicKey });
  const registration = await mined(
    client.writeContract({
      ...admin,
      functionName: "registerTEEWithAttestation",
      args: [document, tee.publicKey, "0x", FACILITATOR.address, "https://tee.devnet", LLM_PROXY],
    }),
  );
  const verifier = await deploy(teeInferenceVerifierAbi, teeInferenceVerifierBytecode, [registry]);
  const relay = getAddress(await deploy(settlementRelayV3Abi, settlementRelayV3Bytecode, [verifier]));

  const profileJson = {
    name: "verify-test",
    payment: { chainId: 8453, tokens: [] },
    verification: {
      chainId: 10740,
      rpcUrl: anvil.rpcUrl,
      relays: [{ address: relay, abi: "v3", startBlock: 0, signers: [FACILITATOR.address] }],
      teeRegistries: [{ address: registry, startBlock: 0 }],
      walrus: { aggregator: walrus.aggregatorUrl },
    },
    gateways: [],
  };
  const profile: NetworkProfile = parseProfile(profileJson, "the test network");

  let responses = 0;
  /** A chat response (a body, or an SSE stream) signed by the registered enclave (or `signer`) at the chain's time. */
  async function respond({
    content = `Answer number ${++responses}: settled proofs are verifiable.`,
    prompt = `Question ${responses}`,
    signer = tee,
    kind = "chat",
  }: {
    content?: string;
    prompt?: string;
    signer?: typeof tee;
    kind?: "chat" | "stream";
  } = {}): Promise<SignedResponse> {
    const timestamp = (await client.getBlock()).timestamp;
    const request = JSON.stringify({ model: MODEL, messages: [{ role: "user", content: prompt }], temperature: 0.5 });
    const inputHash = inputHashOf(request, "chat");
    const outputHash = outputHashOf({ content });
    const signature = await signInference(signer.signingKey, { inputHash, outputHash, timestamp });
    // A forger claims the registered enclave's teeId: only the signature gives it away.
    const response = teeResponseOf({
      kind,
      model: MODEL,
      output: { content },
      inputHash,
      timestamp,
      teeId: tee.teeId,
      signature,
    });
    return { request, response, fields: teeFieldsOf(response) };
  }

  /** Uploads the batch's tree dump and posts `batchSettle` from `from`; the blob may be withheld (404) at once. */
  async function settleBatch(
    batch: readonly SignedResponse[],
    { from = FACILITATOR, withhold = false, root }: { from?: LocalAccount; withhold?: boolean; root?: Hex } = {},
  ) {
    const leaves = batch.map(({ fields }) =>
      e3.fromValues([fields.teeId, fields.inputHash, fields.outputHash, fields.signature, String(fields.timestamp)]),
    );
    const dump = treeDumpOf(leaves, e3);
    const { blobId } = await walrus.put(JSON.stringify(dump));
    if (withhold) await walrus.withhold(blobId);
    const receipt = await mined(
      client.writeContract({
        address: relay,
        abi: settlementRelayV3Abi,
        functionName: "batchSettle",
        args: [root ?? dump.tree[0]!, BigInt(batch.length), eventBytesOfBlobId(blobId)],
        account: from,
      }),
    );
    return { txHash: receipt.transactionHash, blockNumber: receipt.blockNumber, blobId, root: dump.tree[0]! };
  }

  /** Uploads the individual blob and posts `settleIndividual` from `from`, as the facilitator's individual mode does. */
  async function settleIndividual({ request, response, fields }: SignedResponse, { from = FACILITATOR } = {}) {
    const blob = individualBlobOf({
      input: JSON.parse(request),
      output: JSON.parse(response),
      teeSignature: fields.signatureBase64,
      teeId: fields.teeId,
      timestamp: fields.timestamp,
      ethAddress: ALICE.address,
    });
    const { blobId } = await walrus.put(blob);
    const receipt = await mined(
      client.writeContract({
        address: relay,
        abi: settlementRelayV3Abi,
        functionName: "settleIndividual",
        args: [
          fields.teeId,
          fields.inputHash,
          fields.outputHash,
          fields.timestamp,
          ALICE.address,
          eventBytesOfBlobId(blobId),
          fields.signature,
        ],
        account: from,
      }),
    );
    return { txHash: receipt.transactionHash, blockNumber: receipt.blockNumber, blobId };
  }

  /** The registry's owner disables the enclave (as after a compromise). */
  async function disableTee() {
    return mined(client.writeContract({ ...admin, functionName: "disableTEE", args: [tee.teeId] }));
  }

  return {
    anvil,
    client,
    walrus,
    profile,
    profileJson,
    relay,
    registry,
    tee,
    /** The enclave's registration, whose calldata carries its (devnet) attestation document. */
    registration: { txHash: registration.transactionHash, blockNumber: registration.blockNumber },
    forger,
    sources: { rpcUrl: anvil.rpcUrl, aggregator: walrus.aggregatorUrl },
    respond,
    settleBatch,
    settleIndividual,
    disableTee,
    /** A loopback URL where nothing listens (a port just freed). */
    closedUrl,
    stop: () => Promise.all([anvil.stop(), walrus.close()]).then(() => {}),
  };
}
