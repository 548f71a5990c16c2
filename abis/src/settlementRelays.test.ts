import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  type Abi,
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  getAbiItem,
  getAddress,
  type Hex,
  keccak256,
  parseEventLogs,
  stringToHex,
  type TransactionReceipt,
  toEventSelector,
  toFunctionSelector,
  zeroHash,
} from "viem";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { anvilAccount, startAnvil, type TestAnvil } from "../test/anvil";
import {
  devnetTeeVerifierDeployedBytecode,
  settlementRelayV1Bytecode,
  settlementRelayV2Bytecode,
  settlementRelayV3Bytecode,
  teeInferenceVerifierBytecode,
  teeRegistryBytecode,
} from "./bytecode";
import { devnetAttestationDocumentOf } from "./devnetAttestation";
import { settlementRelayV1Abi } from "./settlementRelayV1Abi";
import { settlementRelayV2Abi } from "./settlementRelayV2Abi";
import { settlementRelayV3Abi } from "./settlementRelayV3Abi";
import { generateTeeKey, importTeePrivateKey, signInference } from "./tee";
import { teeInferenceVerifierAbi } from "./teeInferenceVerifierAbi";
import { teeRegistryAbi } from "./teeRegistryAbi";

const DEPLOYER = anvilAccount(0);
const FACILITATOR = anvilAccount(1);
const ALICE = anvilAccount(2);

/** Address of OpenGradient's TEE precompile, where the devnet installs DevnetTeeVerifier's runtime code. */
const TEE_VERIFIER: Address = "0x0000000000000000000000000000000000000900";
const SETTLEMENT_RELAY_ROLE = keccak256(stringToHex("SETTLEMENT_RELAY_ROLE"));
/** The walrusBlobId bytes of OpenGradient's vector blob `orGaXuTN-hxHTViVALqcbFN8Cv6fxjaC3OUqg1ZjvZY`. */
const BLOB_ID: Hex = "0x6f7247615875544e2d68784854566956414c716362464e3843763666786a6143334f557167315a6a765a59";
const PCRS = { pcr0: stringToHex("pcr0 of the gateway image"), pcr1: stringToHex("pcr1"), pcr2: stringToHex("pcr2") };
/** TEE type 0 (LLMProxy), the type OpenGradient's gateways register with. */
const LLM_PROXY = 0;
/** TEEInferenceVerifier's window: an inference at most 1 hour old and at most 5 minutes ahead of the block. */
const MAX_INFERENCE_AGE = 3600n;
const FUTURE_TOLERANCE = 300n;

let anvil: TestAnvil;
let client: TestAnvil["client"];
let relayV1: Address;
let relayV2: Address;
let relayV3: Address;
let registry: Address;
let verifier: Address;
let tee: Awaited<ReturnType<typeof generateTeeKey>> & { signingKey: CryptoKey };
let snapshot: Hex;

beforeAll(async () => {
  anvil = await startAnvil({ chainId: 10740 });
  client = anvil.client;
  const key = await generateTeeKey();
  tee = { ...key, signingKey: await importTeePrivateKey(key.privateKey) };

  relayV1 = await deploy(settlementRelayV1Abi, settlementRelayV1Bytecode);
  relayV2 = await deploy(settlementRelayV2Abi, settlementRelayV2Bytecode);
  await client.setCode({ address: TEE_VERIFIER, bytecode: devnetTeeVerifierDeployedBytecode });
  registry = await deploy(teeRegistryAbi, teeRegistryBytecode);
  await registerTee();
  verifier = await deploy(teeInferenceVerifierAbi, teeInferenceVerifierBytecode, [registry]);
  relayV3 = await deploy(settlementRelayV3Abi, settlementRelayV3Bytecode, [verifier]);
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
  return contractAddress;
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

/** Registers the test enclave the way a gateway operator does on the devnet. */
async function registerTee() {
  const admin = { address: registry, abi: teeRegistryAbi, account: DEPLOYER } as const;
  await mined(client.writeContract({ ...admin, functionName: "addTEEType", args: [LLM_PROXY, "LLMProxy"] }));
  await mined(client.writeContract({ ...admin, functionName: "approvePCR", args: [PCRS, "v1.0.0", LLM_PROXY] }));
  const document = devnetAttestationDocumentOf({ ...PCRS, signingPublicKey: tee.publicKey });
  await mined(
    client.writeContract({
      ...admin,
      functionName: "registerTEEWithAttestation",
      args: [document, tee.publicKey, "0x", FACILITATOR.address, "https://tee.devnet", LLM_PROXY],
    }),
  );
}

let inferenceCount = 0;
/** A fresh inference signed by the test enclave at `timestamp`. */
async function inferenceAt(timestamp: bigint) {
  const inputHash = keccak256(stringToHex(`input ${inferenceCount}`));
  const outputHash = keccak256(stringToHex(`output ${inferenceCount++}`));
  const signature = await signInference(tee.signingKey, { inputHash, outputHash, timestamp });
  return { teeId: tee.teeId, inputHash, outputHash, timestamp, signature };
}

type Inference = Awaited<ReturnType<typeof inferenceAt>>;

const individualArgsOf = ({ teeId, inputHash, outputHash, timestamp, signature }: Inference, payer: Address) =>
  [teeId, inputHash, outputHash, timestamp, payer, BLOB_ID, signature] as const;

/** E3 leaves `[teeId, inputHash, outputHash, signature, timestamp]`, as the facilitator puts them in its tree. */
const E3_TYPES = ["bytes32", "bytes32", "bytes32", "bytes", "uint256"];
function e3TreeOf(count: number) {
  const values = Array.from({ length: count }, (_, i) => [
    keccak256(stringToHex(`tee ${i % 2}`)),
    keccak256(stringToHex(`in ${i}`)),
    keccak256(stringToHex(`out ${i}`)),
    stringToHex(`signature ${"x".repeat(i)}`),
    1_772_000_000n + BigInt(i),
  ]);
  return StandardMerkleTree.of(values, E3_TYPES);
}

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

/** Each ABI item as one human-readable line, e.g. `event Settlement(bytes32 indexed inputHash, …)`. */
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
  test("behavior: event topics and function selectors are OpenGradient's", () => {
    expect({
      v1: {
        Settlement: topicOf(settlementRelayV1Abi, "Settlement"),
        BatchSettlement: topicOf(settlementRelayV1Abi, "BatchSettlement"),
        SettlementWithMetadata: topicOf(settlementRelayV1Abi, "SettlementWithMetadata"),
        settle: selectorOf(settlementRelayV1Abi, "settle"),
        batchSettle: selectorOf(settlementRelayV1Abi, "batchSettle"),
        settleWithMetadata: selectorOf(settlementRelayV1Abi, "settleWithMetadata"),
        verifyProof: selectorOf(settlementRelayV1Abi, "verifyProof"),
      },
      ...Object.fromEntries(
        Object.entries({ v2: settlementRelayV2Abi, v3: settlementRelayV3Abi }).map(([version, abi]) => [
          version,
          {
            BatchSettlement: topicOf(abi, "BatchSettlement"),
            IndividualSettlement: topicOf(abi, "IndividualSettlement"),
            batchSettle: selectorOf(abi, "batchSettle"),
            settleIndividual: selectorOf(abi, "settleIndividual"),
            verifyProof: selectorOf(abi, "verifyProof"),
          },
        ]),
      ),
    }).toEqual({
      v1: {
        Settlement: "0x2dec475996b83d8f0b0b5863ea37b28d71de0e635fecf1042fd2c6e41b2bdda3",
        BatchSettlement: "0xfa7c610716cb742e297d9aaa305f688a478691d7bdda909887be587592075db0",
        SettlementWithMetadata: "0x699118b9cf4c170299a3cd2b24610f4bdd66f1492695baf29c49077ef64c056c",
        settle: "0xd32a9cd9",
        batchSettle: "0x609580f6",
        settleWithMetadata: "0xa1ccc828",
        verifyProof: "0x4bc935d7",
      },
      ...Object.fromEntries(
        ["v2", "v3"].map((version) => [
          version,
          {
            BatchSettlement: "0xc2aff8d8a10a4543baabf39bd9ff45e7fc3881d19098df350a3b7f339e911127",
            IndividualSettlement: "0x74e71a1981c03bd0c36f3b1227f3ee2a34dca5d6fef25c4b2787e033ab60b782",
            batchSettle: "0x1b243ae6",
            settleIndividual: "0x90480ad1",
            verifyProof: "0x4bc935d7",
          },
        ]),
      ),
    });
  });

  test("behavior: v2 has the Walrus events, AccessControl and Ownable; v3 adds SETTLEMENT_CONTRACT", () => {
    expect(formatAbi(settlementRelayV2Abi)).toMatchInlineSnapshot(`
      [
        "error AccessControlBadConfirmation()",
        "error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)",
        "error OwnableInvalidOwner(address owner)",
        "error OwnableUnauthorizedAccount(address account)",
        "event BatchSettlement(bytes32 indexed merkleRoot, uint256 batchSize, bytes walrusBlobId)",
        "event IndividualSettlement(bytes32 indexed teeId, address indexed ethAddress, bytes32 inputHash, bytes32 outputHash, uint256 timestamp, bytes walrusBlobId, bytes signature)",
        "event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)",
        "event RoleAdminChanged(bytes32 indexed role, bytes32 indexed previousAdminRole, bytes32 indexed newAdminRole)",
        "event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)",
        "event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender)",
        "function DEFAULT_ADMIN_ROLE() view returns (bytes32)",
        "function SETTLEMENT_RELAY_ROLE() view returns (bytes32)",
        "function batchSettle(bytes32 _merkleRoot, uint256 _batchSize, bytes _walrusBlobId) nonpayable",
        "function getRoleAdmin(bytes32 role) view returns (bytes32)",
        "function grantRole(bytes32 role, address account) nonpayable",
        "function hasRole(bytes32 role, address account) view returns (bool)",
        "function owner() view returns (address)",
        "function renounceOwnership() nonpayable",
        "function renounceRole(bytes32 role, address callerConfirmation) nonpayable",
        "function revokeRole(bytes32 role, address account) nonpayable",
        "function settleIndividual(bytes32 _teeId, bytes32 _inputHash, bytes32 _outputHash, uint256 _timestamp, address _ethAddress, bytes _walrusBlobId, bytes _signature) nonpayable",
        "function supportsInterface(bytes4 interfaceId) view returns (bool)",
        "function transferOwnership(address newOwner) nonpayable",
        "function verifyProof(bytes32[] _proof, bytes32 _root, bytes32 _leaf) pure returns (bool)",
      ]
    `);
    const v2 = new Set(formatAbi(settlementRelayV2Abi));
    expect(formatAbi(settlementRelayV3Abi).filter((item) => !v2.has(item))).toMatchInlineSnapshot(`
      [
        "constructor(address _settlement_contract)",
        "function SETTLEMENT_CONTRACT() view returns (address)",
      ]
    `);
    expect(
      formatAbi(settlementRelayV2Abi).filter((item) => !new Set(formatAbi(settlementRelayV3Abi)).has(item)),
    ).toEqual([]);
  });

  test("behavior: v1 has the legacy events, AccessControl and Ownable", () => {
    expect(formatAbi(settlementRelayV1Abi)).toMatchInlineSnapshot(`
      [
        "error AccessControlBadConfirmation()",
        "error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)",
        "error OwnableInvalidOwner(address owner)",
        "error OwnableUnauthorizedAccount(address account)",
        "event BatchSettlement(bytes32 indexed merkleRoot, uint256 batchSize)",
        "event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)",
        "event RoleAdminChanged(bytes32 indexed role, bytes32 indexed previousAdminRole, bytes32 indexed newAdminRole)",
        "event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)",
        "event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender)",
        "event Settlement(bytes32 indexed inputHash, bytes32 indexed outputHash)",
        "event SettlementWithMetadata(bytes32 indexed inputHash, bytes32 indexed outputHash, string modelInfo, bytes inputData, bytes outputData)",
        "function DEFAULT_ADMIN_ROLE() view returns (bytes32)",
        "function SETTLEMENT_RELAY_ROLE() view returns (bytes32)",
        "function batchSettle(bytes32 _merkleRoot, uint256 _batchSize) nonpayable",
        "function getRoleAdmin(bytes32 role) view returns (bytes32)",
        "function grantRole(bytes32 role, address account) nonpayable",
        "function hasRole(bytes32 role, address account) view returns (bool)",
        "function owner() view returns (address)",
        "function renounceOwnership() nonpayable",
        "function renounceRole(bytes32 role, address callerConfirmation) nonpayable",
        "function revokeRole(bytes32 role, address account) nonpayable",
        "function settle(bytes32 _inputHash, bytes32 _outputHash) nonpayable",
        "function settleWithMetadata(bytes32 _inputHash, bytes32 _outputHash, string _modelInfo, bytes _inputData, bytes _outputData) nonpayable",
        "function supportsInterface(bytes4 interfaceId) view returns (bool)",
        "function transferOwnership(address newOwner) nonpayable",
        "function verifyProof(bytes32[] _proof, bytes32 _root, bytes32 _leaf) pure returns (bool)",
      ]
    `);
  });
});

describe.each([
  { version: "v1", abi: settlementRelayV1Abi, address: () => relayV1 },
  { version: "v2", abi: settlementRelayV2Abi, address: () => relayV2 },
  { version: "v3", abi: settlementRelayV3Abi, address: () => relayV3 },
])("SettlementRelay $version roles and proofs", ({ abi, address }) => {
  const read = <const name extends "owner" | "SETTLEMENT_RELAY_ROLE" | "DEFAULT_ADMIN_ROLE">(functionName: name) =>
    client.readContract({ address: address(), abi: settlementRelayV1Abi, functionName });
  const hasRole = (role: Hex, account: Address) =>
    client.readContract({
      address: address(),
      abi: settlementRelayV1Abi,
      functionName: "hasRole",
      args: [role, account],
    });

  test("default: the deployer owns the relay and holds the admin and relay roles", async () => {
    expect(await Promise.all([read("owner"), read("SETTLEMENT_RELAY_ROLE"), read("DEFAULT_ADMIN_ROLE")])).toEqual([
      DEPLOYER.address,
      SETTLEMENT_RELAY_ROLE,
      zeroHash,
    ]);
    expect(await hasRole(zeroHash, DEPLOYER.address)).toBe(true);
    expect(await hasRole(SETTLEMENT_RELAY_ROLE, DEPLOYER.address)).toBe(true);
    expect(await hasRole(SETTLEMENT_RELAY_ROLE, FACILITATOR.address)).toBe(false);
    const supports = (interfaceId: Hex) =>
      client.readContract({ address: address(), abi, functionName: "supportsInterface", args: [interfaceId] });
    // ERC-165 itself, OpenZeppelin's IAccessControl, and the id ERC-165 reserves as never supported.
    expect(await Promise.all(["0x01ffc9a7", "0x7965db0b", "0xffffffff"].map((id) => supports(id as Hex)))).toEqual([
      true,
      true,
      false,
    ]);
  });

  test("behavior: the constructor logs ownership, then the admin and relay roles", async () => {
    // Each test starts from the deployment's state, so the relay's only logs are its constructor's.
    const logs = await client.getContractEvents({ address: address(), abi, fromBlock: 0n });
    expect(logs.map(({ eventName, args }) => ({ eventName, args }))).toEqual([
      {
        eventName: "OwnershipTransferred",
        args: { previousOwner: "0x0000000000000000000000000000000000000000", newOwner: DEPLOYER.address },
      },
      { eventName: "RoleGranted", args: { role: zeroHash, account: DEPLOYER.address, sender: DEPLOYER.address } },
      {
        eventName: "RoleGranted",
        args: { role: SETTLEMENT_RELAY_ROLE, account: DEPLOYER.address, sender: DEPLOYER.address },
      },
    ]);
  });

  test("behavior: the admin grants and revokes the relay role; others may not", async () => {
    const relay = { address: address(), abi: settlementRelayV1Abi } as const;
    expect(
      await revertOf(
        client.simulateContract({
          ...relay,
          functionName: "grantRole",
          args: [SETTLEMENT_RELAY_ROLE, ALICE.address],
          account: ALICE,
        }),
      ),
    ).toMatchInlineSnapshot(
      `"AccessControlUnauthorizedAccount(0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC, 0x0000000000000000000000000000000000000000000000000000000000000000)"`,
    );

    const granted = await mined(
      client.writeContract({
        ...relay,
        functionName: "grantRole",
        args: [SETTLEMENT_RELAY_ROLE, FACILITATOR.address],
        account: DEPLOYER,
      }),
    );
    expect(eventsOf(abi, granted)).toEqual([
      {
        eventName: "RoleGranted",
        args: { role: SETTLEMENT_RELAY_ROLE, account: FACILITATOR.address, sender: DEPLOYER.address },
      },
    ]);
    expect(await hasRole(SETTLEMENT_RELAY_ROLE, FACILITATOR.address)).toBe(true);

    expect(
      await revertOf(
        client.simulateContract({
          ...relay,
          functionName: "renounceRole",
          args: [SETTLEMENT_RELAY_ROLE, FACILITATOR.address],
          account: ALICE,
        }),
      ),
    ).toMatchInlineSnapshot(`"AccessControlBadConfirmation()"`);
    const revoked = await mined(
      client.writeContract({
        ...relay,
        functionName: "revokeRole",
        args: [SETTLEMENT_RELAY_ROLE, FACILITATOR.address],
        account: DEPLOYER,
      }),
    );
    expect(eventsOf(abi, revoked)).toEqual([
      {
        eventName: "RoleRevoked",
        args: { role: SETTLEMENT_RELAY_ROLE, account: FACILITATOR.address, sender: DEPLOYER.address },
      },
    ]);
    expect(await hasRole(SETTLEMENT_RELAY_ROLE, FACILITATOR.address)).toBe(false);
  });

  test("behavior: only the owner transfers ownership, never to the zero address", async () => {
    const relay = { address: address(), abi: settlementRelayV1Abi } as const;
    const transfer = (newOwner: Address, account = DEPLOYER) =>
      client.simulateContract({ ...relay, functionName: "transferOwnership", args: [newOwner], account });
    expect(await revertOf(transfer(ALICE.address, ALICE))).toMatchInlineSnapshot(
      `"OwnableUnauthorizedAccount(0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC)"`,
    );
    expect(await revertOf(transfer("0x0000000000000000000000000000000000000000"))).toMatchInlineSnapshot(
      `"OwnableInvalidOwner(0x0000000000000000000000000000000000000000)"`,
    );

    const receipt = await mined(
      client.writeContract({ ...relay, functionName: "transferOwnership", args: [ALICE.address], account: DEPLOYER }),
    );
    expect(eventsOf(abi, receipt)).toEqual([
      { eventName: "OwnershipTransferred", args: { previousOwner: DEPLOYER.address, newOwner: ALICE.address } },
    ]);
    expect(await read("owner")).toBe(ALICE.address);
    await mined(client.writeContract({ ...relay, functionName: "renounceOwnership", account: ALICE }));
    expect(await read("owner")).toBe("0x0000000000000000000000000000000000000000");
  });

  test("behavior: verifyProof accepts @openzeppelin/merkle-tree proofs and nothing else", async () => {
    const verify = (proof: Hex[], root: Hex, leaf: Hex) =>
      client.readContract({ address: address(), abi, functionName: "verifyProof", args: [proof, root, leaf] });
    for (const count of [1, 2, 5]) {
      const tree = e3TreeOf(count);
      const root = tree.root as Hex;
      for (const [i, value] of tree.entries()) {
        const proof = tree.getProof(i) as Hex[];
        const leaf = tree.leafHash(value) as Hex;
        expect(await verify(proof, root, leaf), `leaf ${i} of ${count}`).toBe(true);
        expect(await verify(proof, root, keccak256(leaf)), `wrong leaf ${i} of ${count}`).toBe(false);
        if (proof.length > 0)
          expect(await verify(proof.slice(1), root, leaf), `short proof ${i} of ${count}`).toBe(false);
      }
    }
    expect(await verify([], zeroHash, zeroHash)).toBe(true);
  });
});

describe("SettlementRelayV1", () => {
  const relay = () => ({ address: relayV1, abi: settlementRelayV1Abi }) as const;
  const [inputHash, outputHash] = [keccak256(stringToHex("input")), keccak256(stringToHex("output"))];

  test("behavior: refuses callers without the relay role", async () => {
    const notRelay = `AccessControlUnauthorizedAccount(${ALICE.address}, ${SETTLEMENT_RELAY_ROLE})`;
    expect(
      await revertOf(
        client.simulateContract({ ...relay(), functionName: "settle", args: [inputHash, outputHash], account: ALICE }),
      ),
    ).toBe(notRelay);
    expect(
      await revertOf(
        client.simulateContract({ ...relay(), functionName: "batchSettle", args: [inputHash, 3n], account: ALICE }),
      ),
    ).toBe(notRelay);
    expect(
      await revertOf(
        client.simulateContract({
          ...relay(),
          functionName: "settleWithMetadata",
          args: [inputHash, outputHash, "model", "0x01", "0x02"],
          account: ALICE,
        }),
      ),
    ).toMatchInlineSnapshot(
      `"AccessControlUnauthorizedAccount(0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC, 0xf36647b1df9abd99804e22cf307aa4756961525a36f70d6d017702e4e0d8fd75)"`,
    );
  });

  test("behavior: a relay emits Settlement, BatchSettlement and SettlementWithMetadata", async () => {
    const settled = await mined(
      client.writeContract({ ...relay(), functionName: "settle", args: [inputHash, outputHash], account: DEPLOYER }),
    );
    const batched = await mined(
      client.writeContract({ ...relay(), functionName: "batchSettle", args: [inputHash, 20n], account: DEPLOYER }),
    );
    const withMetadata = await mined(
      client.writeContract({
        ...relay(),
        functionName: "settleWithMetadata",
        args: [inputHash, outputHash, "gpt-4o", stringToHex("{}"), stringToHex("hello")],
        account: DEPLOYER,
      }),
    );
    expect([settled, batched, withMetadata].flatMap((receipt) => eventsOf(settlementRelayV1Abi, receipt))).toEqual([
      { eventName: "Settlement", args: { inputHash, outputHash } },
      { eventName: "BatchSettlement", args: { merkleRoot: inputHash, batchSize: 20n } },
      {
        eventName: "SettlementWithMetadata",
        args: {
          inputHash,
          outputHash,
          modelInfo: "gpt-4o",
          inputData: stringToHex("{}"),
          outputData: stringToHex("hello"),
        },
      },
    ]);
  });
});

describe("SettlementRelayV2", () => {
  const relay = () => ({ address: relayV2, abi: settlementRelayV2Abi }) as const;

  test("behavior: refuses callers without the relay role", async () => {
    const inference = await inferenceAt(await now());
    expect(
      await revertOf(
        client.simulateContract({
          ...relay(),
          functionName: "batchSettle",
          args: [zeroHash, 1n, BLOB_ID],
          account: FACILITATOR,
        }),
      ),
    ).toMatchInlineSnapshot(
      `"AccessControlUnauthorizedAccount(0x70997970C51812dc3A010C7d01b50e0d17dc79C8, 0xf36647b1df9abd99804e22cf307aa4756961525a36f70d6d017702e4e0d8fd75)"`,
    );
    expect(
      await revertOf(
        client.simulateContract({
          ...relay(),
          functionName: "settleIndividual",
          args: individualArgsOf(inference, ALICE.address),
          account: FACILITATOR,
        }),
      ),
    ).toBe(`AccessControlUnauthorizedAccount(${FACILITATOR.address}, ${SETTLEMENT_RELAY_ROLE})`);
  });

  test("behavior: a relay emits BatchSettlement and IndividualSettlement, checking nothing", async () => {
    await mined(
      client.writeContract({
        ...relay(),
        functionName: "grantRole",
        args: [SETTLEMENT_RELAY_ROLE, FACILITATOR.address],
        account: DEPLOYER,
      }),
    );
    const tree = e3TreeOf(3);
    // An unregistered TEE and a signature that is no signature: v2 verifies nothing on chain.
    const unchecked = { ...(await inferenceAt(0n)), teeId: keccak256("0x00"), signature: "0xbad0" as Hex };

    const batched = await mined(
      client.writeContract({
        ...relay(),
        functionName: "batchSettle",
        args: [tree.root as Hex, 3n, BLOB_ID],
        account: FACILITATOR,
      }),
    );
    const individual = await mined(
      client.writeContract({
        ...relay(),
        functionName: "settleIndividual",
        args: individualArgsOf(unchecked, ALICE.address),
        account: FACILITATOR,
      }),
    );

    expect([...eventsOf(settlementRelayV2Abi, batched), ...eventsOf(settlementRelayV2Abi, individual)]).toEqual([
      { eventName: "BatchSettlement", args: { merkleRoot: tree.root, batchSize: 3n, walrusBlobId: BLOB_ID } },
      {
        eventName: "IndividualSettlement",
        args: {
          teeId: unchecked.teeId,
          ethAddress: ALICE.address,
          inputHash: unchecked.inputHash,
          outputHash: unchecked.outputHash,
          timestamp: 0n,
          walrusBlobId: BLOB_ID,
          signature: "0xbad0",
        },
      },
    ]);
  });
});

describe("SettlementRelayV3", () => {
  const relay = () => ({ address: relayV3, abi: settlementRelayV3Abi }) as const;
  const settleIndividual = (inference: Inference, account = FACILITATOR) =>
    client.simulateContract({
      ...relay(),
      functionName: "settleIndividual",
      args: individualArgsOf(inference, ALICE.address),
      account,
    });

  test("default: SETTLEMENT_CONTRACT is the verifier it was deployed with", async () => {
    expect(await client.readContract({ ...relay(), functionName: "SETTLEMENT_CONTRACT" })).toBe(getAddress(verifier));
  });

  test("behavior: any account may call batchSettle, and nothing about the root is checked", async () => {
    expect(
      await client.readContract({ ...relay(), functionName: "hasRole", args: [SETTLEMENT_RELAY_ROLE, ALICE.address] }),
    ).toBe(false);
    const root = keccak256(stringToHex("not the root of any blob"));

    const receipt = await mined(
      client.writeContract({ ...relay(), functionName: "batchSettle", args: [root, 20n, BLOB_ID], account: ALICE }),
    );

    expect(receipt.from).toBe(ALICE.address.toLowerCase());
    expect(eventsOf(settlementRelayV3Abi, receipt)).toEqual([
      { eventName: "BatchSettlement", args: { merkleRoot: root, batchSize: 20n, walrusBlobId: BLOB_ID } },
    ]);
  });

  test("behavior: any account may call settleIndividual with a signature the verifier accepts", async () => {
    const inference = await inferenceAt((await now()) - 60n);

    const receipt = await mined(client.writeContract((await settleIndividual(inference, ALICE)).request));

    expect(eventsOf(settlementRelayV3Abi, receipt)).toEqual([
      {
        eventName: "IndividualSettlement",
        args: {
          teeId: inference.teeId,
          ethAddress: ALICE.address,
          inputHash: inference.inputHash,
          outputHash: inference.outputHash,
          timestamp: inference.timestamp,
          walrusBlobId: BLOB_ID,
          signature: inference.signature,
        },
      },
    ]);
  });

  test("behavior: settleIndividual reverts when the inference is outside the verifier's time window", async () => {
    const block = await now();
    expect(await revertOf(settleIndividual(await inferenceAt(block - MAX_INFERENCE_AGE - 60n)))).toMatchInlineSnapshot(
      `"Error(Invalid signature)"`,
    );
    expect(await revertOf(settleIndividual(await inferenceAt(block + FUTURE_TOLERANCE + 60n)))).toBe(
      "Error(Invalid signature)",
    );
    await settleIndividual(await inferenceAt(block + FUTURE_TOLERANCE - 60n));
  });

  test("behavior: settleIndividual reverts for an unknown or disabled TEE, or an empty signature", async () => {
    const inference = await inferenceAt(await now());
    expect(await revertOf(settleIndividual({ ...inference, signature: "0x" }))).toBe("Error(Invalid signature)");
    expect(await revertOf(settleIndividual({ ...inference, teeId: keccak256("0x01") }))).toBe(
      "Error(Invalid signature)",
    );

    await mined(
      client.writeContract({
        address: registry,
        abi: teeRegistryAbi,
        functionName: "disableTEE",
        args: [tee.teeId],
        account: DEPLOYER,
      }),
    );
    expect(await revertOf(settleIndividual(inference))).toBe("Error(Invalid signature)");
  });
});
