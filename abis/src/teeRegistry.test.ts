import {
  type Abi,
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  encodeAbiParameters,
  getAbiItem,
  getAddress,
  type Hex,
  keccak256,
  parseEventLogs,
  type ReadContractReturnType,
  sha256,
  stringToHex,
  type TransactionReceipt,
  toEventSelector,
  toFunctionSelector,
  zeroAddress,
  zeroHash,
} from "viem";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { anvilAccount, startAnvil, type TestAnvil } from "../test/anvil";
import { devnetTeeVerifierDeployedBytecode, teeInferenceVerifierBytecode, teeRegistryBytecode } from "./bytecode";
import { devnetAttestationDocumentOf, pcrHashOf } from "./devnetAttestation";
import { devnetTeeVerifierAbi } from "./devnetTeeVerifierAbi";
import { teeMessageOf } from "./tee";
import { teeInferenceVerifierAbi } from "./teeInferenceVerifierAbi";
import { teeRegistryAbi } from "./teeRegistryAbi";

const DEPLOYER = anvilAccount(0);
const OPERATOR = anvilAccount(1);
const ALICE = anvilAccount(2);
const GATEWAY = anvilAccount(3);

/** Address of OpenGradient's TEE precompile, where the devnet installs DevnetTeeVerifier's runtime code. */
const TEE_VERIFIER: Address = "0x0000000000000000000000000000000000000900";
const TEE_OPERATOR = keccak256(stringToHex("TEE_OPERATOR"));
/** TEE type 0 (LLMProxy), the type OpenGradient's gateways register with. */
const LLM_PROXY = 0;
/** The registry's default heartbeatMaxAge, in seconds. */
const HEARTBEAT_MAX_AGE = 1800n;

const PCRS = { pcr0: stringToHex("pcr0 of image v1"), pcr1: stringToHex("pcr1"), pcr2: stringToHex("pcr2") };
const PCRS_V2 = { ...PCRS, pcr0: stringToHex("pcr0 of image v2") };
/** Stand-ins for enclaves' DER public keys: the devnet's precompile checks only that a key is bound and non-empty. */
const KEY_A = stringToHex("DER public key of enclave A");
const KEY_B = stringToHex("DER public key of enclave B");
const SIGNATURE = stringToHex("RSA-PSS signature (not checked on the devnet)");

let anvil: TestAnvil;
let client: TestAnvil["client"];
let registry: Address;
let verifier: Address;
let snapshot: Hex;

beforeAll(async () => {
  anvil = await startAnvil({ chainId: 10740 });
  client = anvil.client;
  await client.setCode({ address: TEE_VERIFIER, bytecode: devnetTeeVerifierDeployedBytecode });
  registry = await deploy(teeRegistryAbi, teeRegistryBytecode);
  verifier = await deploy(teeInferenceVerifierAbi, teeInferenceVerifierBytecode, [registry]);
  await admin("addTEEType", [LLM_PROXY, "LLMProxy"]);
  await admin("approvePCR", [PCRS, "v1.0.0", LLM_PROXY]);
  await admin("grantRole", [TEE_OPERATOR, OPERATOR.address]);
}, 60_000);
afterAll(() => anvil?.stop());
beforeEach(async () => {
  snapshot = await client.snapshot();
});
afterEach(async () => {
  await client.revert({ id: snapshot });
});

// Helpers

async function mined(hash: Promise<Hex>): Promise<TransactionReceipt> {
  const receipt = await client.waitForTransactionReceipt({ hash: await hash });
  expect(receipt.status).toBe("success");
  return receipt;
}

async function deploy(abi: Abi, bytecode: Hex, args: readonly unknown[] = []): Promise<Address> {
  const { contractAddress } = await mined(client.deployContract({ abi, bytecode, args, account: DEPLOYER }));
  if (!contractAddress) throw new Error(`Deployment of ${bytecode.slice(0, 10)}… returned no contract address.`);
  return getAddress(contractAddress);
}

/** The error a call reverts with, as `Name(arg, …)`; a `require` message reads `Error(message)`. */
async function revertOf(action: Promise<unknown>): Promise<string> {
  try {
    await action;
  } catch (error) {
    const reverted = error instanceof BaseError && error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError && reverted.data)
      return `${reverted.data.errorName}(${(reverted.data.args ?? []).map(String).join(", ")})`;
    throw error;
  }
  throw new Error("Expected the call to revert, but it succeeded.");
}

const eventsOf = (abi: Abi, receipt: TransactionReceipt) =>
  parseEventLogs({ abi, logs: receipt.logs }).map(({ eventName, args }) => ({ eventName, args }));

const now = async () => (await client.getBlock()).timestamp;

type RegistryFunction<mutability> = Extract<
  (typeof teeRegistryAbi)[number],
  { type: "function"; stateMutability: mutability }
>["name"];

/** Sends a registry transaction, simulated first so that a revert surfaces as the contract's error. */
async function write(
  functionName: RegistryFunction<"nonpayable">,
  args: readonly unknown[],
  account = DEPLOYER,
): Promise<TransactionReceipt> {
  const call = { address: registry, abi: teeRegistryAbi, functionName, args, account };
  const { request } = await client.simulateContract(call as never);
  return mined(client.writeContract(request as never));
}

/** The error a registry transaction would revert with. */
const writeRevertOf = (functionName: RegistryFunction<"nonpayable">, args: readonly unknown[], account = DEPLOYER) =>
  revertOf(client.simulateContract({ address: registry, abi: teeRegistryAbi, functionName, args, account } as never));

const admin = (functionName: RegistryFunction<"nonpayable">, args: readonly unknown[]) =>
  write(functionName, args, DEPLOYER);

/** A registry read, typed by its function name. */
const read = <const name extends RegistryFunction<"view" | "pure">>(
  functionName: name,
  args: readonly unknown[] = [],
) =>
  client.readContract({ address: registry, abi: teeRegistryAbi, functionName, args } as never) as Promise<
    ReadContractReturnType<typeof teeRegistryAbi, name>
  >;

/** Registers an enclave with a devnet attestation document binding its key; returns the receipt. */
function register(
  signingPublicKey: Hex,
  {
    pcrs = PCRS,
    boundKey = signingPublicKey,
    teeType = LLM_PROXY,
    account = OPERATOR,
  }: { pcrs?: typeof PCRS; boundKey?: Hex; teeType?: number; account?: typeof OPERATOR } = {},
) {
  const document = devnetAttestationDocumentOf({ ...pcrs, signingPublicKey: boundKey });
  return write(
    "registerTEEWithAttestation",
    [document, signingPublicKey, stringToHex("TLS certificate DER"), GATEWAY.address, "https://tee.devnet", teeType],
    account,
  );
}

const registerRevertOf = (document: Hex, signingPublicKey: Hex, { teeType = LLM_PROXY, account = OPERATOR } = {}) =>
  writeRevertOf(
    "registerTEEWithAttestation",
    [document, signingPublicKey, "0x", GATEWAY.address, "https://tee.devnet", teeType],
    account,
  );

type AbiParameter = { type: string; name?: string; indexed?: boolean; components?: readonly AbiParameter[] };

/** `type indexed name`, tuples spelled out: what two ABIs must share to be the same interface. */
const parameterOf = ({ type, name, indexed, components }: AbiParameter): string =>
  [
    components ? `(${components.map(parameterOf).join(", ")})${type.slice("tuple".length)}` : type,
    indexed && "indexed",
    name,
  ]
    .filter(Boolean)
    .join(" ");

/** Each ABI item as one human-readable line, e.g. `event TEEDisabled(bytes32 indexed teeId)`. */
const formatAbi = (abi: Abi) =>
  abi.map((item) => {
    const inputs = `(${("inputs" in item ? item.inputs : []).map(parameterOf).join(", ")})`;
    if (item.type !== "function") return `${item.type}${"name" in item ? ` ${item.name}` : ""}${inputs}`;
    const returns = item.outputs.length > 0 ? ` returns (${item.outputs.map(parameterOf).join(", ")})` : "";
    return `function ${item.name}${inputs} ${item.stateMutability}${returns}`;
  });

const topicOf = (abi: Abi, name: string) => toEventSelector(getAbiItem({ abi, name }) as never);
const selectorOf = (abi: Abi, name: string) => toFunctionSelector(getAbiItem({ abi, name }) as never);

describe("ABIs", () => {
  test("behavior: selectors and event topics are OpenGradient's", () => {
    const registryFunctions = [
      "getTEE",
      "getTEEPublicKey",
      "isTEEEnabled",
      "isTEEActive",
      "getActiveTEEs",
      "heartbeat",
    ];
    expect(Object.fromEntries(registryFunctions.map((name) => [name, selectorOf(teeRegistryAbi, name)]))).toEqual({
      getTEE: "0x418b207d",
      getTEEPublicKey: "0x2cbe7552",
      isTEEEnabled: "0x927d3c95",
      isTEEActive: "0xa3bf31f1",
      getActiveTEEs: "0x4b6014da",
      heartbeat: "0x42830ad8",
    });
    // OpenGradient's published topics are known by their first four and last bytes.
    const topics = {
      TEERegistered: ["0x97d0af70", "4931"],
      TEEDisabled: ["0x01c23533", "36b6"],
      TEEEnabled: ["0xcfe7e61b", "5ca6"],
      PCRApproved: ["0x98c6d69c", "2fe"],
      PCRRevoked: ["0xd5a6741f", "2fb"],
      HeartbeatReceived: ["0x3cf0bf77", "7f57"],
    };
    for (const [name, [start, end]] of Object.entries(topics)) {
      const topic = topicOf(teeRegistryAbi, name);
      expect(topic.startsWith(start ?? "") && topic.endsWith(end ?? ""), `${name} ${topic}`).toBe(true);
    }
    expect({
      verifySignature: selectorOf(teeInferenceVerifierAbi, "verifySignature"),
      verifySignatureNoTimestamp: selectorOf(teeInferenceVerifierAbi, "verifySignatureNoTimestamp"),
      verifyRSAPSS: selectorOf(devnetTeeVerifierAbi, "verifyRSAPSS"),
      verifyAttestation: selectorOf(devnetTeeVerifierAbi, "verifyAttestation"),
    }).toEqual({
      verifySignature: "0x58db61a8",
      verifySignatureNoTimestamp: "0x810f2337",
      verifyRSAPSS: "0x7e26679a",
      // og-evm precompiles/tee/ITEEVerifier.sol
      verifyAttestation: toFunctionSelector("verifyAttestation(bytes,bytes,bytes,bytes)"),
    });
  });

  test("behavior: TEERegistry's events, errors and functions", () => {
    expect(formatAbi(teeRegistryAbi)).toMatchInlineSnapshot(`
      [
        "constructor()",
        "error AccessControlBadConfirmation()",
        "error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)",
        "error AttestationInvalid(string reason)",
        "error HeartbeatSignatureInvalid()",
        "error HeartbeatTimestampInFuture()",
        "error HeartbeatTimestampTooOld()",
        "error InvalidTEEType()",
        "error KeyBindingFailed(string reason)",
        "error NotTEEOwner()",
        "error PCRAlreadyExists()",
        "error PCRNotApproved()",
        "error TEEAlreadyExists()",
        "error TEENotEnabled()",
        "error TEENotFound()",
        "error TEETypeExists()",
        "error TEETypeNotFound()",
        "event AWSCertificateUpdated(bytes32 indexed certHash)",
        "event HeartbeatReceived(bytes32 indexed teeId, uint256 timestamp)",
        "event PCRApproved(bytes32 indexed pcrHash, uint8 indexed teeType, string version)",
        "event PCRRevoked(bytes32 indexed pcrHash, uint8 indexed teeType)",
        "event RoleAdminChanged(bytes32 indexed role, bytes32 indexed previousAdminRole, bytes32 indexed newAdminRole)",
        "event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)",
        "event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender)",
        "event TEEDisabled(bytes32 indexed teeId)",
        "event TEEEnabled(bytes32 indexed teeId)",
        "event TEERegistered(bytes32 indexed teeId, address indexed owner, uint8 teeType)",
        "event TEETypeAdded(uint8 indexed typeId, string name)",
        "event TEETypeDeactivated(uint8 indexed typeId)",
        "function DEFAULT_ADMIN_ROLE() view returns (bytes32)",
        "function TEE_OPERATOR() view returns (bytes32)",
        "function VERIFIER() view returns (address)",
        "function addTEEType(uint8 typeId, string name) nonpayable",
        "function approvePCR((bytes pcr0, bytes pcr1, bytes pcr2) pcrs, string version, uint8 teeType) nonpayable",
        "function approvedPCRs(uint8 teeType, bytes32 pcrHash) view returns (bool active, uint8 teeType, uint256 approvedAt, string version)",
        "function awsRootCertificate() view returns (bytes)",
        "function computePCRHash((bytes pcr0, bytes pcr1, bytes pcr2) pcrs) pure returns (bytes32)",
        "function computeTEEId(bytes publicKey) pure returns (bytes32)",
        "function deactivateTEEType(uint8 typeId) nonpayable",
        "function disableTEE(bytes32 teeId) nonpayable",
        "function enableTEE(bytes32 teeId) nonpayable",
        "function getActivePCRs() view returns ((bytes32 pcrHash, uint8 teeType)[])",
        "function getActiveTEEs(uint8 teeType) view returns ((address owner, address paymentAddress, string endpoint, bytes publicKey, bytes tlsCertificate, bytes32 pcrHash, uint8 teeType, bool enabled, uint256 registeredAt, uint256 lastHeartbeatAt)[])",
        "function getEnabledTEEs(uint8 teeType) view returns (bytes32[])",
        "function getRoleAdmin(bytes32 role) view returns (bytes32)",
        "function getTEE(bytes32 teeId) view returns ((address owner, address paymentAddress, string endpoint, bytes publicKey, bytes tlsCertificate, bytes32 pcrHash, uint8 teeType, bool enabled, uint256 registeredAt, uint256 lastHeartbeatAt))",
        "function getTEEPublicKey(bytes32 teeId) view returns (bytes)",
        "function getTEETypes() view returns (uint8[] typeIds, (string name, bool active, uint256 addedAt)[] infos)",
        "function getTEEsByOwner(address owner) view returns (bytes32[])",
        "function getTEEsByType(uint8 teeType) view returns (bytes32[])",
        "function grantRole(bytes32 role, address account) nonpayable",
        "function hasRole(bytes32 role, address account) view returns (bool)",
        "function heartbeat(bytes32 teeId, uint256 timestamp, bytes signature) nonpayable",
        "function heartbeatMaxAge() view returns (uint256)",
        "function isPCRApproved(uint8 teeType, bytes32 pcrHash) view returns (bool)",
        "function isTEEActive(bytes32 teeId) view returns (bool)",
        "function isTEEEnabled(bytes32 teeId) view returns (bool)",
        "function isValidTEEType(uint8 typeId) view returns (bool)",
        "function registerTEEWithAttestation(bytes attestationDocument, bytes signingPublicKey, bytes tlsCertificate, address paymentAddress, string endpoint, uint8 teeType) nonpayable returns (bytes32 teeId)",
        "function renounceRole(bytes32 role, address callerConfirmation) nonpayable",
        "function revokePCR(bytes32 pcrHash, uint8 teeType) nonpayable",
        "function revokeRole(bytes32 role, address account) nonpayable",
        "function setAWSRootCertificate(bytes certificate) nonpayable",
        "function setHeartbeatMaxAge(uint256 maxAge) nonpayable",
        "function supportsInterface(bytes4 interfaceId) view returns (bool)",
        "function teeTypes(uint8 typeId) view returns (string name, bool active, uint256 addedAt)",
        "function tees(bytes32 teeId) view returns (address owner, address paymentAddress, string endpoint, bytes publicKey, bytes tlsCertificate, bytes32 pcrHash, uint8 teeType, bool enabled, uint256 registeredAt, uint256 lastHeartbeatAt)",
      ]
    `);
  });

  test("behavior: TEEInferenceVerifier's and DevnetTeeVerifier's events, errors and functions", () => {
    expect(formatAbi(teeInferenceVerifierAbi)).toMatchInlineSnapshot(`
      [
        "constructor(address _registry)",
        "error AccessControlBadConfirmation()",
        "error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)",
        "error InvalidRegistryAddress()",
        "event RegistryUpdated(address indexed oldRegistry, address indexed newRegistry)",
        "event RoleAdminChanged(bytes32 indexed role, bytes32 indexed previousAdminRole, bytes32 indexed newAdminRole)",
        "event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)",
        "event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender)",
        "function DEFAULT_ADMIN_ROLE() view returns (bytes32)",
        "function FUTURE_TOLERANCE() view returns (uint256)",
        "function MAX_INFERENCE_AGE() view returns (uint256)",
        "function VERIFIER() view returns (address)",
        "function computeMessageHash(bytes32 inputHash, bytes32 outputHash, uint256 timestamp) pure returns (bytes32)",
        "function getRoleAdmin(bytes32 role) view returns (bytes32)",
        "function grantRole(bytes32 role, address account) nonpayable",
        "function hasRole(bytes32 role, address account) view returns (bool)",
        "function registry() view returns (address)",
        "function renounceRole(bytes32 role, address callerConfirmation) nonpayable",
        "function revokeRole(bytes32 role, address account) nonpayable",
        "function setRegistry(address _registry) nonpayable",
        "function supportsInterface(bytes4 interfaceId) view returns (bool)",
        "function verifySignature(bytes32 teeId, bytes32 inputHash, bytes32 outputHash, uint256 timestamp, bytes signature) view returns (bool)",
        "function verifySignatureNoTimestamp(bytes32 teeId, bytes32 inputHash, bytes32 outputHash, uint256 timestamp, bytes signature) view returns (bool)",
      ]
    `);
    expect(formatAbi(devnetTeeVerifierAbi)).toMatchInlineSnapshot(`
      [
        "function verifyAttestation(bytes attestationDocument, bytes signingPublicKey, bytes tlsCertificate, bytes rootCertificate) pure returns (bool valid, bytes32 pcrHash)",
        "function verifyRSAPSS(bytes publicKeyDER, bytes32 messageHash, bytes signature) pure returns (bool valid)",
      ]
    `);
  });
});

describe("DevnetTeeVerifier", () => {
  const verifyAttestation = (document: Hex, signingPublicKey = KEY_A) =>
    client.readContract({
      address: TEE_VERIFIER,
      abi: devnetTeeVerifierAbi,
      functionName: "verifyAttestation",
      args: [document, signingPublicKey, "0x", "0x"],
    });
  const verifyRSAPSS = (publicKey: Hex, signature: Hex) =>
    client.readContract({
      address: TEE_VERIFIER,
      abi: devnetTeeVerifierAbi,
      functionName: "verifyRSAPSS",
      args: [publicKey, zeroHash, signature],
    });

  test("default: a devnet document binding the key is valid and gives the PCR hash", async () => {
    const document = devnetAttestationDocumentOf({ ...PCRS, signingPublicKey: KEY_A });
    expect(await verifyAttestation(document)).toEqual([true, pcrHashOf(PCRS)]);
    expect(pcrHashOf(PCRS)).toBe(keccak256(`0x${[PCRS.pcr0, PCRS.pcr1, PCRS.pcr2].map((p) => p.slice(2)).join("")}`));
    const empty = { pcr0: "0x", pcr1: "0x", pcr2: "0x" } as const;
    expect(await verifyAttestation(devnetAttestationDocumentOf({ ...empty, signingPublicKey: KEY_A }))).toEqual([
      true,
      keccak256("0x"),
    ]);
  });

  test("behavior: a document binding another key is invalid", async () => {
    const document = devnetAttestationDocumentOf({ ...PCRS, signingPublicKey: KEY_B });
    expect(await verifyAttestation(document)).toEqual([false, zeroHash]);
  });

  test("behavior: a malformed document is invalid, without a revert", async () => {
    const document = devnetAttestationDocumentOf({ ...PCRS, signingPublicKey: KEY_A });
    const word = (value: bigint) => value.toString(16).padStart(64, "0");
    const keyHash = sha256(KEY_A).slice(2);
    const malformed: Hex[] = [
      "0x",
      "0x1234",
      // Cut short: the last PCR's bytes are missing.
      document.slice(0, -64) as Hex,
      // The first offset points past the end.
      `0x${word(2n ** 255n)}${word(0n)}${word(0n)}${keyHash}`,
      // A length longer than what follows it.
      `0x${word(128n)}${word(128n)}${word(128n)}${keyHash}${word(33n)}${"00".repeat(32)}`,
    ];
    for (const bad of malformed) expect(await verifyAttestation(bad), bad).toEqual([false, zeroHash]);
    // The same head with a length that fits: three empty PCRs.
    expect(await verifyAttestation(`0x${word(128n)}${word(128n)}${word(128n)}${keyHash}${word(0n)}`)).toEqual([
      true,
      keccak256("0x"),
    ]);
  });

  test("behavior: verifyRSAPSS accepts any non-empty key and signature (the devnet does no RSA)", async () => {
    expect(
      await Promise.all([verifyRSAPSS(KEY_A, SIGNATURE), verifyRSAPSS("0x", SIGNATURE), verifyRSAPSS(KEY_A, "0x")]),
    ).toEqual([true, false, false]);
  });
});

describe("TEERegistry", () => {
  const teeIdA = keccak256(KEY_A);
  const teeIdB = keccak256(KEY_B);
  const pcrHash = pcrHashOf(PCRS);

  test("default: the deployer is admin and operator; type 0 and one PCR are set up", async () => {
    expect(
      await Promise.all([
        read("hasRole", [zeroHash, DEPLOYER.address]),
        read("hasRole", [TEE_OPERATOR, DEPLOYER.address]),
        read("getRoleAdmin", [TEE_OPERATOR]),
        read("TEE_OPERATOR"),
        read("VERIFIER"),
        read("heartbeatMaxAge"),
        read("isValidTEEType", [LLM_PROXY]),
        read("isValidTEEType", [1]),
        read("isPCRApproved", [LLM_PROXY, pcrHash]),
        read("isPCRApproved", [1, pcrHash]),
        read("computePCRHash", [PCRS]),
        read("getActivePCRs"),
      ]),
    ).toEqual([
      true,
      true,
      zeroHash,
      TEE_OPERATOR,
      TEE_VERIFIER,
      HEARTBEAT_MAX_AGE,
      true,
      false,
      true,
      false,
      pcrHash,
      [{ pcrHash, teeType: LLM_PROXY }],
    ]);
    const [typeIds, infos] = await read("getTEETypes");
    expect(typeIds).toEqual([LLM_PROXY]);
    expect(infos).toEqual([{ name: "LLMProxy", active: true, addedAt: expect.any(BigInt) }]);
    expect((await read("approvedPCRs", [LLM_PROXY, pcrHash])).slice(0, 2)).toEqual([true, LLM_PROXY]);
  });

  test("behavior: registerTEEWithAttestation emits TEERegistered and stores the enclave", async () => {
    const document = devnetAttestationDocumentOf({ ...PCRS, signingPublicKey: KEY_A });
    const { result: teeId } = await client.simulateContract({
      address: registry,
      abi: teeRegistryAbi,
      functionName: "registerTEEWithAttestation",
      args: [document, KEY_A, "0x", GATEWAY.address, "https://tee.devnet", LLM_PROXY],
      account: OPERATOR,
    });
    expect(teeId).toBe(teeIdA);

    const receipt = await register(KEY_A);

    expect(eventsOf(teeRegistryAbi, receipt)).toEqual([
      { eventName: "TEERegistered", args: { teeId: teeIdA, owner: OPERATOR.address, teeType: LLM_PROXY } },
    ]);
    const { timestamp } = await client.getBlock({ blockHash: receipt.blockHash });
    const stored = {
      owner: OPERATOR.address,
      paymentAddress: GATEWAY.address,
      endpoint: "https://tee.devnet",
      publicKey: KEY_A,
      tlsCertificate: stringToHex("TLS certificate DER"),
      pcrHash,
      teeType: LLM_PROXY,
      enabled: true,
      registeredAt: timestamp,
      lastHeartbeatAt: timestamp,
    };
    expect(await read("getTEE", [teeIdA])).toEqual(stored);
    expect(await read("getActiveTEEs", [LLM_PROXY])).toEqual([stored]);
    expect(
      await Promise.all([
        read("getTEEPublicKey", [teeIdA]),
        read("isTEEEnabled", [teeIdA]),
        read("isTEEActive", [teeIdA]),
        read("getEnabledTEEs", [LLM_PROXY]),
        read("getTEEsByType", [LLM_PROXY]),
        read("getTEEsByOwner", [OPERATOR.address]),
        read("computeTEEId", [KEY_A]),
      ]),
    ).toEqual([KEY_A, true, true, [teeIdA], [teeIdA], [teeIdA], teeIdA]);
  });

  test("args: an unapproved PCR, a document binding another key, a malformed document", async () => {
    const unapproved = devnetAttestationDocumentOf({ ...PCRS_V2, signingPublicKey: KEY_A });
    expect(await registerRevertOf(unapproved, KEY_A)).toMatchInlineSnapshot(`"PCRNotApproved()"`);
    const otherKey = devnetAttestationDocumentOf({ ...PCRS, signingPublicKey: KEY_B });
    expect(await registerRevertOf(otherKey, KEY_A)).toMatchInlineSnapshot(
      `"AttestationInvalid(Attestation document verification failed)"`,
    );
    expect(await registerRevertOf("0x1234", KEY_A)).toBe(
      "AttestationInvalid(Attestation document verification failed)",
    );
  });

  test("args: an unknown or inactive TEE type, a second registration, a caller without TEE_OPERATOR", async () => {
    const document = devnetAttestationDocumentOf({ ...PCRS, signingPublicKey: KEY_A });
    expect(await registerRevertOf(document, KEY_A, { teeType: 1 })).toMatchInlineSnapshot(`"InvalidTEEType()"`);
    expect(await registerRevertOf(document, KEY_A, { account: ALICE })).toMatchInlineSnapshot(
      `"AccessControlUnauthorizedAccount(0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC, 0xae5084c516dacf3f1a818c437d702c28b8d2088455f592a7ea799413e3b6f1bf)"`,
    );
    await register(KEY_A);
    expect(await registerRevertOf(document, KEY_A)).toMatchInlineSnapshot(`"TEEAlreadyExists()"`);

    // A PCR approved for one type does not admit an enclave of another.
    await admin("addTEEType", [1, "Validator"]);
    expect(
      await registerRevertOf(devnetAttestationDocumentOf({ ...PCRS, signingPublicKey: KEY_B }), KEY_B, { teeType: 1 }),
    ).toBe("PCRNotApproved()");
    await admin("deactivateTEEType", [1]);
    expect(await writeRevertOf("approvePCR", [PCRS, "v1.0.0", 1])).toBe("InvalidTEEType()");
  });

  test("behavior: revokePCR emits only PCRRevoked, yet disables every enabled TEE running the PCR", async () => {
    await admin("approvePCR", [PCRS_V2, "v2.0.0", LLM_PROXY]);
    await register(KEY_A);
    await register(KEY_B, { pcrs: PCRS_V2 });

    const receipt = await admin("revokePCR", [pcrHash, LLM_PROXY]);

    expect(eventsOf(teeRegistryAbi, receipt)).toEqual([
      { eventName: "PCRRevoked", args: { pcrHash, teeType: LLM_PROXY } },
    ]);
    const teeDisabled = topicOf(teeRegistryAbi, "TEEDisabled");
    expect(receipt.logs.filter((log) => log.topics[0] === teeDisabled)).toEqual([]);
    expect(
      await Promise.all([
        read("isTEEEnabled", [teeIdA]),
        read("isTEEActive", [teeIdA]),
        read("isTEEEnabled", [teeIdB]),
        read("getEnabledTEEs", [LLM_PROXY]),
        read("isPCRApproved", [LLM_PROXY, pcrHash]),
        read("getActivePCRs"),
      ]),
    ).toEqual([false, false, true, [teeIdB], false, [{ pcrHash: pcrHashOf(PCRS_V2), teeType: LLM_PROXY }]]);
    expect((await read("getTEE", [teeIdA])).enabled).toBe(false);

    expect(await writeRevertOf("enableTEE", [teeIdA])).toMatchInlineSnapshot(`"PCRNotApproved()"`);
    expect(await writeRevertOf("revokePCR", [pcrHash, LLM_PROXY])).toBe("PCRNotApproved()");
    const keyC = stringToHex("DER public key of enclave C");
    expect(await registerRevertOf(devnetAttestationDocumentOf({ ...PCRS, signingPublicKey: keyC }), keyC)).toBe(
      "PCRNotApproved()",
    );

    // Approved again, the image's TEEs can be enabled again (one by one, with their own events).
    await admin("approvePCR", [PCRS, "v1.0.1", LLM_PROXY]);
    expect(eventsOf(teeRegistryAbi, await write("enableTEE", [teeIdA], OPERATOR))).toEqual([
      { eventName: "TEEEnabled", args: { teeId: teeIdA } },
    ]);
  });

  test("behavior: disableTEE and enableTEE emit TEEDisabled and TEEEnabled", async () => {
    await register(KEY_A);

    expect(eventsOf(teeRegistryAbi, await write("disableTEE", [teeIdA], OPERATOR))).toEqual([
      { eventName: "TEEDisabled", args: { teeId: teeIdA } },
    ]);
    expect([await read("isTEEEnabled", [teeIdA]), await read("getEnabledTEEs", [LLM_PROXY])]).toEqual([false, []]);
    expect(await writeRevertOf("disableTEE", [teeIdA], OPERATOR)).toMatchInlineSnapshot(`"TEENotEnabled()"`);

    expect(eventsOf(teeRegistryAbi, await write("enableTEE", [teeIdA], OPERATOR))).toEqual([
      { eventName: "TEEEnabled", args: { teeId: teeIdA } },
    ]);
    expect([await read("isTEEEnabled", [teeIdA]), await read("getEnabledTEEs", [LLM_PROXY])]).toEqual([true, [teeIdA]]);
    // Enabling an enabled TEE is a no-op.
    expect((await write("enableTEE", [teeIdA], OPERATOR)).logs).toEqual([]);
  });

  test("behavior: only the TEE's owner (while an operator) or an admin disables it", async () => {
    await register(KEY_A);
    expect(await writeRevertOf("disableTEE", [teeIdA], ALICE)).toMatchInlineSnapshot(`"NotTEEOwner()"`);
    expect(await writeRevertOf("disableTEE", [teeIdB], DEPLOYER)).toMatchInlineSnapshot(`"TEENotFound()"`);

    await admin("revokeRole", [TEE_OPERATOR, OPERATOR.address]);
    expect(await writeRevertOf("disableTEE", [teeIdA], OPERATOR)).toBe("NotTEEOwner()");
    await write("disableTEE", [teeIdA], DEPLOYER);
    expect(await read("isTEEEnabled", [teeIdA])).toBe(false);
  });

  test("behavior: heartbeat emits HeartbeatReceived, and isTEEActive lapses without one", async () => {
    await register(KEY_A);
    await client.increaseTime({ seconds: Number(HEARTBEAT_MAX_AGE) + 1 });
    await client.mine({ blocks: 1 });
    expect([await read("isTEEActive", [teeIdA]), await read("isTEEEnabled", [teeIdA])]).toEqual([false, true]);
    expect(await read("getActiveTEEs", [LLM_PROXY])).toEqual([]);

    const timestamp = await now();
    // Anyone may relay a heartbeat: the TEE's signature is what counts.
    const receipt = await write("heartbeat", [teeIdA, timestamp, SIGNATURE], ALICE);

    expect(eventsOf(teeRegistryAbi, receipt)).toEqual([
      { eventName: "HeartbeatReceived", args: { teeId: teeIdA, timestamp } },
    ]);
    const { timestamp: blockTime } = await client.getBlock({ blockHash: receipt.blockHash });
    expect((await read("getTEE", [teeIdA])).lastHeartbeatAt).toBe(blockTime);
    expect(await read("isTEEActive", [teeIdA])).toBe(true);
  });

  test("args: heartbeat from the future, too old, unsigned, for a disabled or unknown TEE", async () => {
    await register(KEY_A);
    const block = await now();
    expect(await writeRevertOf("heartbeat", [teeIdA, block + 100n, SIGNATURE])).toMatchInlineSnapshot(
      `"HeartbeatTimestampInFuture()"`,
    );
    expect(
      await writeRevertOf("heartbeat", [teeIdA, block - HEARTBEAT_MAX_AGE - 100n, SIGNATURE]),
    ).toMatchInlineSnapshot(`"HeartbeatTimestampTooOld()"`);
    expect(await writeRevertOf("heartbeat", [teeIdA, block, "0x"])).toMatchInlineSnapshot(
      `"HeartbeatSignatureInvalid()"`,
    );
    expect(await writeRevertOf("heartbeat", [teeIdB, block, SIGNATURE])).toMatchInlineSnapshot(`"TEENotFound()"`);
    await write("disableTEE", [teeIdA], OPERATOR);
    expect(await writeRevertOf("heartbeat", [teeIdA, block, SIGNATURE])).toBe("TEENotEnabled()");

    await admin("setHeartbeatMaxAge", [HEARTBEAT_MAX_AGE * 2n]);
    expect(await read("heartbeatMaxAge")).toBe(HEARTBEAT_MAX_AGE * 2n);
  });

  test("behavior: getTEE reverts TEENotFound for an unknown TEE; getTEEPublicKey answers empty", async () => {
    expect(
      await revertOf(
        client.readContract({ address: registry, abi: teeRegistryAbi, functionName: "getTEE", args: [teeIdA] }),
      ),
    ).toMatchInlineSnapshot(`"TEENotFound()"`);
    expect(await read("getTEEPublicKey", [teeIdA])).toBe("0x");
  });

  test("behavior: admin settings: AWS root certificate, TEE types, heartbeat window", async () => {
    const certificate = stringToHex("AWS Nitro root certificate DER");
    expect(eventsOf(teeRegistryAbi, await admin("setAWSRootCertificate", [certificate]))).toEqual([
      { eventName: "AWSCertificateUpdated", args: { certHash: keccak256(certificate) } },
    ]);
    expect(await read("awsRootCertificate")).toBe(certificate);

    expect(await writeRevertOf("addTEEType", [LLM_PROXY, "again"])).toMatchInlineSnapshot(`"TEETypeExists()"`);
    expect(await writeRevertOf("deactivateTEEType", [7])).toMatchInlineSnapshot(`"TEETypeNotFound()"`);
    expect(eventsOf(teeRegistryAbi, await admin("deactivateTEEType", [LLM_PROXY]))).toEqual([
      { eventName: "TEETypeDeactivated", args: { typeId: LLM_PROXY } },
    ]);
    expect(await read("isValidTEEType", [LLM_PROXY])).toBe(false);

    expect(await writeRevertOf("setHeartbeatMaxAge", [1n], ALICE)).toBe(
      `AccessControlUnauthorizedAccount(${ALICE.address}, ${zeroHash})`,
    );
  });
});

describe("TEEInferenceVerifier", () => {
  const teeIdA = keccak256(KEY_A);
  const [inputHash, outputHash] = [keccak256(stringToHex("input")), keccak256(stringToHex("output"))];
  const verify = (
    functionName: "verifySignature" | "verifySignatureNoTimestamp",
    timestamp: bigint,
    { teeId = teeIdA, signature = SIGNATURE } = {},
  ) =>
    client.readContract({
      address: verifier,
      abi: teeInferenceVerifierAbi,
      functionName,
      args: [teeId, inputHash, outputHash, timestamp, signature],
    });

  test("default: reads the registry it was deployed with; the window is 1 hour back, 5 minutes ahead", async () => {
    const read = (functionName: "registry" | "VERIFIER" | "MAX_INFERENCE_AGE" | "FUTURE_TOLERANCE") =>
      client.readContract({ address: verifier, abi: teeInferenceVerifierAbi, functionName });
    expect(
      await Promise.all([read("registry"), read("VERIFIER"), read("MAX_INFERENCE_AGE"), read("FUTURE_TOLERANCE")]),
    ).toEqual([registry, TEE_VERIFIER, 3600n, 300n]);
    expect(
      await client.readContract({
        address: verifier,
        abi: teeInferenceVerifierAbi,
        functionName: "computeMessageHash",
        args: [inputHash, outputHash, 1_772_000_000n],
      }),
    ).toBe(teeMessageOf({ inputHash, outputHash, timestamp: 1_772_000_000n }));
  });

  test("behavior: verifySignature wants an enabled TEE, a signature and a recent timestamp", async () => {
    await register(KEY_A);
    const block = await now();
    expect(
      await Promise.all([
        verify("verifySignature", block),
        verify("verifySignature", block - 3600n + 60n),
        verify("verifySignature", block + 300n - 60n),
        verify("verifySignature", block - 3600n - 60n),
        verify("verifySignature", block + 300n + 60n),
        verify("verifySignature", block, { signature: "0x" }),
        verify("verifySignature", block, { teeId: keccak256(KEY_B) }),
      ]),
    ).toEqual([true, true, true, false, false, false, false]);

    await write("disableTEE", [teeIdA], OPERATOR);
    expect(await verify("verifySignature", block)).toBe(false);
  });

  test("behavior: verifySignatureNoTimestamp skips the window but still wants the TEE enabled now", async () => {
    await register(KEY_A);
    expect(await verify("verifySignatureNoTimestamp", 1n)).toBe(true);
    expect(await verify("verifySignature", 1n)).toBe(false);
    await admin("revokePCR", [pcrHashOf(PCRS), LLM_PROXY]);
    expect(await verify("verifySignatureNoTimestamp", 1n)).toBe(false);
  });

  test("behavior: the admin points it at another registry", async () => {
    const other = await deploy(teeRegistryAbi, teeRegistryBytecode);
    const setRegistry = (newRegistry: Address, account = DEPLOYER) =>
      client.simulateContract({
        address: verifier,
        abi: teeInferenceVerifierAbi,
        functionName: "setRegistry",
        args: [newRegistry],
        account,
      });
    expect(await revertOf(setRegistry(zeroAddress))).toMatchInlineSnapshot(`"InvalidRegistryAddress()"`);
    expect(await revertOf(setRegistry(other, ALICE))).toBe(
      `AccessControlUnauthorizedAccount(${ALICE.address}, ${zeroHash})`,
    );

    const receipt = await mined(client.writeContract((await setRegistry(other)).request));

    expect(eventsOf(teeInferenceVerifierAbi, receipt)).toEqual([
      { eventName: "RegistryUpdated", args: { oldRegistry: registry, newRegistry: other } },
    ]);
    expect(
      await client.readContract({ address: verifier, abi: teeInferenceVerifierAbi, functionName: "registry" }),
    ).toBe(other);
  });
});

test("behavior: devnetAttestationDocumentOf is abi.encode(pcr0, pcr1, pcr2, sha256(key)), checked inputs", () => {
  expect(devnetAttestationDocumentOf({ ...PCRS, signingPublicKey: KEY_A })).toBe(
    encodeAbiParameters(
      [{ type: "bytes" }, { type: "bytes" }, { type: "bytes" }, { type: "bytes32" }],
      [PCRS.pcr0, PCRS.pcr1, PCRS.pcr2, sha256(KEY_A)],
    ),
  );
  expect(() => pcrHashOf({ ...PCRS, pcr1: "0x123" })).toThrowErrorMatchingInlineSnapshot(
    `[InvalidInputError: PCR1 "0x123" is not a hex string of whole bytes (0x followed by pairs of hex digits).]`,
  );
  expect(() =>
    devnetAttestationDocumentOf({ ...PCRS, signingPublicKey: "not hex" as Hex }),
  ).toThrowErrorMatchingInlineSnapshot(
    `[InvalidInputError: Signing public key "not hex" is not a hex string of whole bytes (0x followed by pairs of hex digits).]`,
  );
});
