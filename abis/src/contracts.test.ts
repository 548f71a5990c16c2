import {
  type Abi,
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  decodeFunctionData,
  domainSeparator,
  encodeFunctionData,
  encodeFunctionResult,
  type Hex,
  keccak256,
  maxUint256,
  parseAbi,
  parseEventLogs,
  parseSignature,
  serializeSignature,
  stringToHex,
  type TransactionReceipt,
  toFunctionSignature,
  toHex,
} from "viem";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { anvilAccount, startAnvil, type TestAnvil } from "../test/anvil";
import {
  calldataSettlementRelayBytecode,
  devnetTeeRegistryBytecode,
  multicall3DeployedBytecode,
  usdcDeployedBytecode,
} from "./bytecode";
import { calldataSettlementRelayAbi } from "./calldataSettlementRelayAbi";
import { MULTICALL3_ADDRESS, USDC_ADDRESS_BASE as USDC } from "./constants";
import { devnetTeeRegistryAbi } from "./devnetTeeRegistryAbi";
import type { Leaf } from "./leaf";
import { multicall3Abi } from "./multicall3Abi";
import { usdcAbi } from "./usdcAbi";

const DEPLOYER = anvilAccount(0);
const FACILITATOR = anvilAccount(1);
const ALICE = anvilAccount(2);
const BOB = anvilAccount(3);
/** An address given code with `anvil_setCode` to play a smart-contract wallet (EIP-1271). */
const WALLET: Address = "0x000000000000000000000000000000000000c0de";

const CHAIN_ID = 8453;
/** Order of the secp256k1 group; `n - s` is the malleable twin of a signature's `s`. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
/** Runtime code returning the EIP-1271 magic value `0x1626ba7e` for any call: a wallet that accepts everything. */
const ACCEPTING_WALLET_CODE: Hex = "0x631626ba7e60e01b5f5260205ff3";
/** Runtime code returning 32 zero bytes for any call: a wallet that accepts nothing. */
const REJECTING_WALLET_CODE: Hex = "0x60205ff3";

let anvil: TestAnvil;
let client: TestAnvil["client"];
let registry: Address;
let relay: Address;
let snapshot: Hex;

beforeAll(async () => {
  anvil = await startAnvil({ chainId: CHAIN_ID });
  client = anvil.client;
  await installUsdc();
  await mintUsdc(ALICE.address, 1_000_000_000n);
  registry = await deploy(devnetTeeRegistryAbi, devnetTeeRegistryBytecode);
  relay = await deploy(calldataSettlementRelayAbi, calldataSettlementRelayBytecode);
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

/** The Solidity revert reason of a failed call or simulation. */
async function revertReasonOf(action: Promise<unknown>): Promise<string | undefined> {
  try {
    await action;
  } catch (error) {
    const reverted = error instanceof BaseError && error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) return reverted.reason;
    throw error;
  }
  throw new Error("Expected the call to revert, but it succeeded.");
}

async function deploy(abi: Abi, bytecode: Hex): Promise<Address> {
  const { contractAddress } = await mined(client.deployContract({ abi, bytecode, account: DEPLOYER }));
  if (!contractAddress) throw new Error(`Deployment of ${bytecode.slice(0, 10)}… returned no contract address.`);
  return contractAddress;
}

/** Places the token at Base's USDC address the way the devnet does: runtime code, then `initialize`. */
async function installUsdc() {
  await client.setCode({ address: USDC, bytecode: usdcDeployedBytecode });
  await mined(
    client.writeContract({
      address: USDC,
      abi: usdcAbi,
      functionName: "initialize",
      args: ["USD Coin", "USDC", 6, DEPLOYER.address],
      account: DEPLOYER,
    }),
  );
}

async function mintUsdc(to: Address, amount: bigint) {
  await mined(
    client.writeContract({ address: USDC, abi: usdcAbi, functionName: "mint", args: [to, amount], account: DEPLOYER }),
  );
}

const balanceOf = (account: Address) =>
  client.readContract({ address: USDC, abi: usdcAbi, functionName: "balanceOf", args: [account] });

const now = async () => (await client.getBlock()).timestamp;

type Authorization = {
  from: Address;
  to: Address;
  value: bigint;
  validAfter: bigint;
  validBefore: bigint;
  nonce: Hex;
};

let nonceCount = 0;
/** A 1 USDC authorization from ALICE to BOB, valid forever, with a fresh nonce. */
function authorizationOf(overrides: Partial<Authorization> = {}): Authorization {
  return {
    from: ALICE.address,
    to: BOB.address,
    value: 1_000_000n,
    validAfter: 0n,
    validBefore: maxUint256,
    nonce: keccak256(toHex(`nonce ${nonceCount++}`)),
    ...overrides,
  };
}

const AUTHORIZATION_FIELDS = [
  { name: "from", type: "address" },
  { name: "to", type: "address" },
  { name: "value", type: "uint256" },
  { name: "validAfter", type: "uint256" },
  { name: "validBefore", type: "uint256" },
  { name: "nonce", type: "bytes32" },
] as const;
const USDC_DOMAIN = { name: "USD Coin", version: "2", chainId: CHAIN_ID, verifyingContract: USDC } as const;

function signAuthorization(
  authorization: Authorization,
  { signer = ALICE, primaryType = "TransferWithAuthorization" as const } = {} as {
    signer?: typeof ALICE;
    primaryType?: "TransferWithAuthorization" | "ReceiveWithAuthorization";
  },
): Promise<Hex> {
  return signer.signTypedData({
    domain: USDC_DOMAIN,
    types: { [primaryType]: AUTHORIZATION_FIELDS },
    primaryType,
    message: authorization,
  });
}

function signCancellation(authorizer: typeof ALICE, nonce: Hex): Promise<Hex> {
  return authorizer.signTypedData({
    domain: USDC_DOMAIN,
    types: {
      CancelAuthorization: [
        { name: "authorizer", type: "address" },
        { name: "nonce", type: "bytes32" },
      ],
    },
    primaryType: "CancelAuthorization",
    message: { authorizer: authorizer.address, nonce },
  });
}

/** `[v, r, s]` of a 65-byte signature, for the FiatToken overloads that take them split. */
function splitSignature(signature: Hex) {
  const { v, r, s } = parseSignature(signature);
  return [Number(v), r, s] as const;
}

function argsOf({ from, to, value, validAfter, validBefore, nonce }: Authorization) {
  return [from, to, value, validAfter, validBefore, nonce] as const;
}

/** Submits an authorization as a facilitator would (simulate, then send), with the bytes or the v/r/s overload. */
async function transferWithAuthorization(
  authorization: Authorization,
  signature: Hex,
  { split = false, account = FACILITATOR } = {},
) {
  const { request } = await client.simulateContract({
    address: USDC,
    abi: usdcAbi,
    functionName: "transferWithAuthorization",
    args: split ? [...argsOf(authorization), ...splitSignature(signature)] : [...argsOf(authorization), signature],
    account,
  });
  return mined(client.writeContract(request));
}

async function receiveWithAuthorization(authorization: Authorization, signature: Hex, account: typeof ALICE) {
  const { request } = await client.simulateContract({
    address: USDC,
    abi: usdcAbi,
    functionName: "receiveWithAuthorization",
    args: [...argsOf(authorization), signature],
    account,
  });
  return mined(client.writeContract(request));
}

const eventsOf = (abi: Abi, receipt: TransactionReceipt) =>
  parseEventLogs({ abi, logs: receipt.logs }).map(({ eventName, args }) => ({ eventName, args }));

describe("Usdc", () => {
  test("default: initialized at Base's USDC address with a call-time EIP-712 domain", async () => {
    const read = (functionName: "name" | "symbol" | "decimals" | "version" | "owner" | "DOMAIN_SEPARATOR") =>
      client.readContract({ address: USDC, abi: usdcAbi, functionName });
    expect(await Promise.all([read("name"), read("symbol"), read("decimals"), read("version"), read("owner")])).toEqual(
      ["USD Coin", "USDC", 6, "2", DEPLOYER.address],
    );
    expect(await read("DOMAIN_SEPARATOR")).toBe(domainSeparator({ domain: USDC_DOMAIN }));
    expect((await client.getEip712Domain({ address: USDC })).domain).toEqual({
      name: "USD Coin",
      version: "2",
      chainId: CHAIN_ID,
      verifyingContract: USDC,
      salt: `0x${"0".repeat(64)}`,
    });
  });

  test("behavior: has every function the x402 exact (EIP-3009) facilitator calls", () => {
    // The `eip3009ABI` of @x402/evm 2.27.0 (dist/esm/chunk-SGFNIWGK.mjs), which its facilitator simulates and sends.
    const x402Abi = parseAbi([
      "function transferWithAuthorization(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, uint8 v, bytes32 r, bytes32 s)",
      "function transferWithAuthorization(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, bytes signature)",
      "function balanceOf(address account) view returns (uint256)",
      "function version() view returns (string)",
      "function name() view returns (string)",
      "function authorizationState(address authorizer, bytes32 nonce) view returns (bool)",
    ]);
    const ours = new Map(
      usdcAbi.flatMap((item) =>
        item.type === "function" ? [[toFunctionSignature(item), item.outputs.map((o) => o.type)]] : [],
      ),
    );
    for (const item of x402Abi) {
      expect(ours.get(toFunctionSignature(item)), toFunctionSignature(item)).toEqual(item.outputs.map((o) => o.type));
    }
  });

  test("behavior: initialize can be called once", async () => {
    const reason = await revertReasonOf(
      client.simulateContract({
        address: USDC,
        abi: usdcAbi,
        functionName: "initialize",
        args: ["Fake", "FAKE", 18, BOB.address],
        account: BOB,
      }),
    );
    expect(reason).toMatchInlineSnapshot(`"FiatToken: contract is already initialized"`);
  });

  test("behavior: only the owner mints", async () => {
    const reason = await revertReasonOf(
      client.simulateContract({
        address: USDC,
        abi: usdcAbi,
        functionName: "mint",
        args: [BOB.address, 1n],
        account: BOB,
      }),
    );
    expect(reason).toMatchInlineSnapshot(`"Ownable: caller is not the owner"`);
  });

  test("behavior: ERC-20 transfer, approve and transferFrom move balances and allowances", async () => {
    await mined(
      client.writeContract({
        address: USDC,
        abi: usdcAbi,
        functionName: "approve",
        args: [BOB.address, 5n],
        account: ALICE,
      }),
    );
    const receipt = await mined(
      client.writeContract({
        address: USDC,
        abi: usdcAbi,
        functionName: "transferFrom",
        args: [ALICE.address, FACILITATOR.address, 3n],
        account: BOB,
      }),
    );
    expect(eventsOf(usdcAbi, receipt)).toEqual([
      { eventName: "Transfer", args: { from: ALICE.address, to: FACILITATOR.address, value: 3n } },
    ]);
    expect(
      await client.readContract({
        address: USDC,
        abi: usdcAbi,
        functionName: "allowance",
        args: [ALICE.address, BOB.address],
      }),
    ).toBe(2n);
    const overdrawn = await revertReasonOf(
      client.simulateContract({
        address: USDC,
        abi: usdcAbi,
        functionName: "transfer",
        args: [ALICE.address, 1n],
        account: BOB,
      }),
    );
    expect(overdrawn).toMatchInlineSnapshot(`"ERC20: transfer amount exceeds balance"`);
  });

  test.each([
    { overload: "bytes signature", split: false },
    { overload: "v, r, s", split: true },
  ])(
    "behavior: transferWithAuthorization ($overload) emits AuthorizationUsed then Transfer and moves the balance",
    async ({ split }) => {
      const authorization = authorizationOf();
      const [alice, bob] = [await balanceOf(ALICE.address), await balanceOf(BOB.address)];

      const receipt = await transferWithAuthorization(authorization, await signAuthorization(authorization), { split });

      expect(receipt.from).toBe(FACILITATOR.address.toLowerCase());
      expect(eventsOf(usdcAbi, receipt)).toEqual([
        { eventName: "AuthorizationUsed", args: { authorizer: ALICE.address, nonce: authorization.nonce } },
        { eventName: "Transfer", args: { from: ALICE.address, to: BOB.address, value: authorization.value } },
      ]);
      expect([await balanceOf(ALICE.address), await balanceOf(BOB.address)]).toEqual([
        alice - authorization.value,
        bob + authorization.value,
      ]);
      expect(
        await client.readContract({
          address: USDC,
          abi: usdcAbi,
          functionName: "authorizationState",
          args: [ALICE.address, authorization.nonce],
        }),
      ).toBe(true);
    },
  );

  test("behavior: expired authorization is refused", async () => {
    const authorization = authorizationOf({ validBefore: (await now()) - 1n });
    const reason = await revertReasonOf(
      transferWithAuthorization(authorization, await signAuthorization(authorization)),
    );
    expect(reason).toMatchInlineSnapshot(`"FiatTokenV2: authorization is expired"`);
  });

  test("behavior: not yet valid authorization is refused", async () => {
    const authorization = authorizationOf({ validAfter: (await now()) + 3600n });
    const reason = await revertReasonOf(
      transferWithAuthorization(authorization, await signAuthorization(authorization)),
    );
    expect(reason).toMatchInlineSnapshot(`"FiatTokenV2: authorization is not yet valid"`);
  });

  test("behavior: replayed nonce is refused", async () => {
    const authorization = authorizationOf();
    const signature = await signAuthorization(authorization);
    await transferWithAuthorization(authorization, signature);
    const reason = await revertReasonOf(transferWithAuthorization(authorization, signature, { split: true }));
    expect(reason).toMatchInlineSnapshot(`"FiatTokenV2: authorization is used or canceled"`);
  });

  test("behavior: signature by someone other than `from` is refused", async () => {
    const authorization = authorizationOf();
    const signature = await signAuthorization(authorization, { signer: BOB });
    const reason = await revertReasonOf(transferWithAuthorization(authorization, signature));
    expect(reason).toMatchInlineSnapshot(`"FiatTokenV2: invalid signature"`);
  });

  test("behavior: signature for another authorization type is refused", async () => {
    const authorization = authorizationOf();
    const signature = await signAuthorization(authorization, { primaryType: "ReceiveWithAuthorization" });
    const reason = await revertReasonOf(transferWithAuthorization(authorization, signature));
    expect(reason).toMatchInlineSnapshot(`"FiatTokenV2: invalid signature"`);
  });

  test("behavior: malleable signature (s in the upper half) is refused", async () => {
    const authorization = authorizationOf();
    const { r, s, yParity } = parseSignature(await signAuthorization(authorization));
    const twin = serializeSignature({ r, s: toHex(SECP256K1_N - BigInt(s), { size: 32 }), yParity: 1 - yParity });
    const reason = await revertReasonOf(transferWithAuthorization(authorization, twin));
    expect(reason).toMatchInlineSnapshot(`"ECRecover: invalid signature 's' value"`);
  });

  test("behavior: canceled authorization cannot be used", async () => {
    const authorization = authorizationOf();
    const receipt = await mined(
      client.writeContract({
        address: USDC,
        abi: usdcAbi,
        functionName: "cancelAuthorization",
        args: [
          ALICE.address,
          authorization.nonce,
          ...splitSignature(await signCancellation(ALICE, authorization.nonce)),
        ],
        account: FACILITATOR,
      }),
    );
    expect(eventsOf(usdcAbi, receipt)).toEqual([
      { eventName: "AuthorizationCanceled", args: { authorizer: ALICE.address, nonce: authorization.nonce } },
    ]);
    const reason = await revertReasonOf(
      transferWithAuthorization(authorization, await signAuthorization(authorization)),
    );
    expect(reason).toMatchInlineSnapshot(`"FiatTokenV2: authorization is used or canceled"`);
  });

  test("behavior: receiveWithAuthorization is refused to anyone but the payee", async () => {
    const authorization = authorizationOf();
    const signature = await signAuthorization(authorization, { primaryType: "ReceiveWithAuthorization" });
    const reason = await revertReasonOf(receiveWithAuthorization(authorization, signature, FACILITATOR));
    expect(reason).toMatchInlineSnapshot(`"FiatTokenV2: caller must be the payee"`);

    const receipt = await receiveWithAuthorization(authorization, signature, BOB);
    expect(eventsOf(usdcAbi, receipt).map((event) => event.eventName)).toEqual(["AuthorizationUsed", "Transfer"]);
  });

  test("behavior: a contract wallet's signature is checked with EIP-1271", async () => {
    await mintUsdc(WALLET, 10n);
    const authorization = authorizationOf({ from: WALLET, value: 10n });

    await client.setCode({ address: WALLET, bytecode: REJECTING_WALLET_CODE });
    const reason = await revertReasonOf(transferWithAuthorization(authorization, "0x1234"));
    expect(reason).toMatchInlineSnapshot(`"FiatTokenV2: invalid signature"`);

    await client.setCode({ address: WALLET, bytecode: ACCEPTING_WALLET_CODE });
    await transferWithAuthorization(authorization, "0x1234");
    expect(await balanceOf(WALLET)).toBe(0n);
  });
});

describe("TeeRegistry", () => {
  const TEE_ID = keccak256(stringToHex("tee public key"));
  const PUBLIC_KEY = stringToHex("tee public key");

  async function registerTee(teeId: Hex, publicKey: Hex, account = DEPLOYER) {
    const { request } = await client.simulateContract({
      address: registry,
      abi: devnetTeeRegistryAbi,
      functionName: "registerTee",
      args: [teeId, publicKey],
      account,
    });
    return mined(client.writeContract(request));
  }

  async function revokeTee(teeId: Hex, account = DEPLOYER) {
    const { request } = await client.simulateContract({
      address: registry,
      abi: devnetTeeRegistryAbi,
      functionName: "revokeTee",
      args: [teeId],
      account,
    });
    return mined(client.writeContract(request));
  }

  const stateOf = async (teeId: Hex) => ({
    publicKey: await client.readContract({
      address: registry,
      abi: devnetTeeRegistryAbi,
      functionName: "publicKeyOf",
      args: [teeId],
    }),
    active: await client.readContract({
      address: registry,
      abi: devnetTeeRegistryAbi,
      functionName: "isActive",
      args: [teeId],
    }),
  });

  test("default: the owner registers then revokes a TEE", async () => {
    expect(eventsOf(devnetTeeRegistryAbi, await registerTee(TEE_ID, PUBLIC_KEY))).toEqual([
      { eventName: "TeeRegistered", args: { teeId: TEE_ID, publicKey: PUBLIC_KEY } },
    ]);
    expect(await stateOf(TEE_ID)).toEqual({ publicKey: PUBLIC_KEY, active: true });

    expect(eventsOf(devnetTeeRegistryAbi, await revokeTee(TEE_ID))).toEqual([
      { eventName: "TeeRevoked", args: { teeId: TEE_ID } },
    ]);
    expect(await stateOf(TEE_ID)).toEqual({ publicKey: PUBLIC_KEY, active: false });
  });

  test("behavior: a key whose hash is not the TEE id is registered (the indexer checks it)", async () => {
    const teeId = keccak256(stringToHex("another key"));
    await registerTee(teeId, PUBLIC_KEY);
    expect(await stateOf(teeId)).toEqual({ publicKey: PUBLIC_KEY, active: true });
  });

  test("behavior: a revoked TEE cannot be registered again", async () => {
    await registerTee(TEE_ID, PUBLIC_KEY);
    expect(await revertReasonOf(registerTee(TEE_ID, PUBLIC_KEY))).toMatchInlineSnapshot(
      `"TeeRegistry: TEE is already registered"`,
    );
    await revokeTee(TEE_ID);
    expect(await revertReasonOf(registerTee(TEE_ID, PUBLIC_KEY))).toMatchInlineSnapshot(
      `"TeeRegistry: TEE was revoked"`,
    );
  });

  test("behavior: only the owner registers or revokes", async () => {
    expect(await revertReasonOf(registerTee(TEE_ID, PUBLIC_KEY, FACILITATOR))).toMatchInlineSnapshot(
      `"TeeRegistry: caller is not the owner"`,
    );
    await registerTee(TEE_ID, PUBLIC_KEY);
    expect(await revertReasonOf(revokeTee(TEE_ID, FACILITATOR))).toMatchInlineSnapshot(
      `"TeeRegistry: caller is not the owner"`,
    );
  });
});

describe("SettlementRelay", () => {
  const BLOB_ID = stringToHex("walrus blob 1");

  function leafOf(index: number): Leaf {
    return {
      paymentId: keccak256(stringToHex(`payment ${index}`)),
      amount: 1_000n * BigInt(index + 1),
      teeId: keccak256(stringToHex("tee")),
      inputHash: keccak256(stringToHex(`input ${index}`)),
      outputHash: keccak256(stringToHex(`output ${index}`)),
      signature: toHex(new Uint8Array(256).fill(index + 1)),
      timestamp: 1_700_000_000n + BigInt(index),
    };
  }

  async function allowFacilitator(facilitator: Address, allowed = true, account = DEPLOYER) {
    const { request } = await client.simulateContract({
      address: relay,
      abi: calldataSettlementRelayAbi,
      functionName: "setFacilitator",
      args: [facilitator, allowed],
      account,
    });
    return mined(client.writeContract(request));
  }

  async function postBatch(root: Hex, leaves: Leaf[], account = FACILITATOR) {
    const { request } = await client.simulateContract({
      address: relay,
      abi: calldataSettlementRelayAbi,
      functionName: "settleBatch",
      args: [root, leaves, BLOB_ID],
      account,
    });
    return mined(client.writeContract(request));
  }

  async function postIndividual(leaf: Leaf, payer: Address, account = FACILITATOR) {
    const { request } = await client.simulateContract({
      address: relay,
      abi: calldataSettlementRelayAbi,
      functionName: "settleIndividual",
      args: [leaf, payer, BLOB_ID],
      account,
    });
    return mined(client.writeContract(request));
  }

  test("behavior: only allow-listed facilitators settle, and only the owner lists them", async () => {
    const notFacilitator = "SettlementRelay: caller is not a facilitator";
    expect(await revertReasonOf(postBatch(keccak256("0x01"), [leafOf(0)]))).toBe(notFacilitator);
    expect(await revertReasonOf(postIndividual(leafOf(0), ALICE.address))).toBe(notFacilitator);
    expect(await revertReasonOf(allowFacilitator(FACILITATOR.address, true, FACILITATOR))).toMatchInlineSnapshot(
      `"SettlementRelay: caller is not the owner"`,
    );

    expect(eventsOf(calldataSettlementRelayAbi, await allowFacilitator(FACILITATOR.address))).toEqual([
      { eventName: "FacilitatorSet", args: { facilitator: FACILITATOR.address, allowed: true } },
    ]);
    await postBatch(keccak256("0x01"), [leafOf(0)]);

    await allowFacilitator(FACILITATOR.address, false);
    expect(await revertReasonOf(postBatch(keccak256("0x01"), [leafOf(0)]))).toMatchInlineSnapshot(
      `"SettlementRelay: caller is not a facilitator"`,
    );
  });

  test("behavior: settleBatch emits BatchSettlement without checking the root, and its leaves decode from the input", async () => {
    await allowFacilitator(FACILITATOR.address);
    const leaves = [leafOf(0), leafOf(1), leafOf(2)];
    const wrongRoot = keccak256(stringToHex("not the root of these leaves"));

    const receipt = await postBatch(wrongRoot, leaves);

    expect(eventsOf(calldataSettlementRelayAbi, receipt)).toEqual([
      { eventName: "BatchSettlement", args: { merkleRoot: wrongRoot, batchSize: 3n, walrusBlobId: BLOB_ID } },
    ]);
    const { input } = await client.getTransaction({ hash: receipt.transactionHash });
    expect(decodeFunctionData({ abi: calldataSettlementRelayAbi, data: input })).toEqual({
      functionName: "settleBatch",
      args: [wrongRoot, leaves, BLOB_ID],
    });
  });

  test("behavior: settleIndividual emits the leaf's fields and the payer", async () => {
    await allowFacilitator(FACILITATOR.address);
    const leaf = leafOf(7);

    const receipt = await postIndividual(leaf, ALICE.address);

    expect(eventsOf(calldataSettlementRelayAbi, receipt)).toEqual([
      {
        eventName: "IndividualSettlement",
        args: {
          teeId: leaf.teeId,
          ethAddress: ALICE.address,
          inputHash: leaf.inputHash,
          outputHash: leaf.outputHash,
          timestamp: leaf.timestamp,
          walrusBlobId: BLOB_ID,
          signature: leaf.signature,
        },
      },
    ]);
  });
});

describe("Multicall3", () => {
  const nameCall = { target: USDC, callData: encodeFunctionData({ abi: usdcAbi, functionName: "name" }) };
  // The multicall contract holds no USDC, so a transfer from it reverts.
  const failingCall = {
    target: USDC,
    callData: encodeFunctionData({ abi: usdcAbi, functionName: "transfer", args: [BOB.address, 1n] }),
  };
  const NAME_RESULT = {
    success: true,
    returnData: encodeFunctionResult({ abi: usdcAbi, functionName: "name", result: "USD Coin" }),
  };

  beforeAll(async () => {
    await client.setCode({ address: MULTICALL3_ADDRESS, bytecode: multicall3DeployedBytecode });
  });

  const multicall3 = { address: MULTICALL3_ADDRESS, abi: multicall3Abi } as const;
  const aggregate3 = (calls: readonly (typeof nameCall & { allowFailure: boolean })[]) =>
    client.readContract({ ...multicall3, functionName: "aggregate3", args: [calls] });
  const tryAggregate = (requireSuccess: boolean, calls: readonly (typeof nameCall)[]) =>
    client.readContract({ ...multicall3, functionName: "tryAggregate", args: [requireSuccess, calls] });

  test("behavior: has the canonical Multicall3 selectors that viem and x402's facilitator call", () => {
    expect(
      multicall3Abi.filter((item) => item.type === "function").map((item) => toFunctionSignature(item)),
    ).toMatchInlineSnapshot(`
      [
        "aggregate((address,bytes)[])",
        "aggregate3((address,bool,bytes)[])",
        "tryAggregate(bool,(address,bytes)[])",
      ]
    `);
  });

  test("behavior: aggregate3 returns each call's result and reverts only on a failure not allowed", async () => {
    expect(
      await aggregate3([
        { ...nameCall, allowFailure: false },
        { ...failingCall, allowFailure: true },
      ]),
    ).toEqual([NAME_RESULT, { success: false, returnData: expect.any(String) }]);
    expect(await revertReasonOf(aggregate3([{ ...failingCall, allowFailure: false }]))).toMatchInlineSnapshot(
      `"Multicall3: call failed"`,
    );
  });

  test("behavior: tryAggregate reverts on a failed call only when success is required", async () => {
    expect(await tryAggregate(false, [nameCall, failingCall])).toEqual([
      NAME_RESULT,
      { success: false, returnData: expect.any(String) },
    ]);
    expect(await revertReasonOf(tryAggregate(true, [nameCall, failingCall]))).toMatchInlineSnapshot(
      `"Multicall3: call failed"`,
    );
  });
});
