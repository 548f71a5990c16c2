import {
  OPG_ADDRESS_BASE,
  opgAbi,
  PERMIT2_ADDRESS,
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
  x402ExactPermit2ProxyAbi,
  x402UptoPermit2ProxyAbi,
} from "@settlescan/abis";
import {
  uptoPermit2WitnessTypes,
  PERMIT2_ADDRESS as X402_PERMIT2_ADDRESS,
  x402ExactPermit2ProxyABI,
  x402ExactPermit2ProxyAddress,
  x402UptoPermit2ProxyABI,
  x402UptoPermit2ProxyAddress,
} from "@x402/evm";
import {
  type Abi,
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  domainSeparator,
  type Hex,
  keccak256,
  maxUint256,
  parseAbi,
  parseEventLogs,
  parseSignature,
  stringToHex,
} from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FACILITATOR, PAYEE, payerAccountOf } from "../accounts";
import { type Anvil, BASE_CHAIN_ID, freePort, startAnvil } from "../chains";
import { type DevnetClient, devnetClientOf } from "../deploy";
import { mintOpg, OPG_EIP712 } from "./opg";
import { permit2Abi, permit2InitCode, permit2NonceWordOf } from "./permit2";
import { deployPermit2Payments } from "./permit2Payments";

/** What x402's compiled proxies have beyond the ABI @x402/evm ships; ours raise them in assembly. */
const HIDDEN_ABI = parseAbi([
  "error InvalidAmount()",
  "event EIP2612PermitFailedWithReason(address indexed token, address indexed owner, string reason)",
  "event EIP2612PermitFailedWithPanic(address indexed token, address indexed owner, uint256 errorCode)",
  "event EIP2612PermitFailedWithData(address indexed token, address indexed owner, bytes data)",
]);
const UPTO = {
  address: X402_UPTO_PERMIT2_PROXY_ADDRESS,
  abi: [...x402UptoPermit2ProxyAbi, ...HIDDEN_ABI, ...permit2Abi],
};

let anvil: Anvil;
let base: DevnetClient;
let payerCount = 0;

beforeAll(async () => {
  anvil = await startAnvil({ name: "base", chainId: BASE_CHAIN_ID, port: await freePort() });
  base = devnetClientOf(anvil);
  await deployPermit2Payments(base);
}, 120_000);
afterAll(() => anvil?.stop());

/** An ABI as a set: entries in name order, keys in a fixed order. */
const abiSetOf = (abi: Abi) =>
  [...abi]
    .map((entry) =>
      JSON.parse(
        JSON.stringify(entry, (_, v) =>
          v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v,
        ),
      ),
    )
    .sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`));

describe("x402 proxies", () => {
  test("behavior: the compiled ABIs equal those @x402/evm ships, at the addresses it settles through", () => {
    expect(abiSetOf(x402UptoPermit2ProxyAbi)).toEqual(abiSetOf(x402UptoPermit2ProxyABI as Abi));
    expect(abiSetOf(x402ExactPermit2ProxyAbi)).toEqual(abiSetOf(x402ExactPermit2ProxyABI as Abi));
    expect([X402_UPTO_PERMIT2_PROXY_ADDRESS, X402_EXACT_PERMIT2_PROXY_ADDRESS, PERMIT2_ADDRESS]).toEqual([
      x402UptoPermit2ProxyAddress,
      x402ExactPermit2ProxyAddress,
      X402_PERMIT2_ADDRESS,
    ]);
  });

  test("default: installed code answers x402's constants", async () => {
    const read = (address: Address, functionName: "PERMIT2" | "WITNESS_TYPE_STRING" | "WITNESS_TYPEHASH") =>
      base.readContract({ address, abi: x402UptoPermit2ProxyAbi, functionName });
    expect(await read(X402_UPTO_PERMIT2_PROXY_ADDRESS, "PERMIT2")).toBe(PERMIT2_ADDRESS);
    expect(await read(X402_UPTO_PERMIT2_PROXY_ADDRESS, "WITNESS_TYPE_STRING")).toBe(
      "Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,address facilitator,uint256 validAfter)",
    );
    expect(await read(X402_UPTO_PERMIT2_PROXY_ADDRESS, "WITNESS_TYPEHASH")).toBe(
      keccak256(stringToHex("Witness(address to,address facilitator,uint256 validAfter)")),
    );
    expect(await read(X402_EXACT_PERMIT2_PROXY_ADDRESS, "PERMIT2")).toBe(PERMIT2_ADDRESS);
    expect(await read(X402_EXACT_PERMIT2_PROXY_ADDRESS, "WITNESS_TYPE_STRING")).toBe(
      "Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,uint256 validAfter)",
    );
    expect(await read(X402_EXACT_PERMIT2_PROXY_ADDRESS, "WITNESS_TYPEHASH")).toBe(
      keccak256(stringToHex("Witness(address to,uint256 validAfter)")),
    );
  });

  test("behavior: upto refuses what x402's upto proxy refuses", async () => {
    const payer = await approvedPayer();
    const now = (await base.getBlock()).timestamp;
    const cases = {
      "another facilitator": { sender: PAYEE.address },
      "amount above the maximum": { amount: 1_001n },
      "zero amount": { amount: 0n },
      "not yet valid": { validAfter: now + 3_600n },
      "zero destination": { to: "0x0000000000000000000000000000000000000000" as Address },
      "expired permit": { deadline: now - 1n },
      "someone else's signature": { signer: payerAccountOf("permit2 payments test", 999) },
    };
    const reverts: Record<string, string | undefined> = {};
    for (const [name, change] of Object.entries(cases))
      reverts[name] = await revertOf(await uptoSettlement(payer, change));
    expect(reverts).toMatchInlineSnapshot(`
      {
        "amount above the maximum": "AmountExceedsPermitted",
        "another facilitator": "UnauthorizedFacilitator",
        "expired permit": "SignatureExpired",
        "not yet valid": "PaymentTooEarly",
        "someone else's signature": "InvalidSigner",
        "zero amount": "InvalidAmount",
        "zero destination": "InvalidDestination",
      }
    `);
    expect(await revertOf(await uptoSettlement(payer, {}))).toBeUndefined();
  });

  test("behavior: a failed EIP-2612 permit is logged as x402 logs it, and an existing allowance still settles", async () => {
    const payer = await approvedPayer();
    const { args } = await uptoSettlement(payer, { amount: 400n });
    const bogusPermit = {
      value: 1_000n,
      deadline: maxUint256,
      r: `0x${"11".repeat(32)}` as Hex,
      s: `0x${"22".repeat(32)}` as Hex,
      v: 27,
    };
    const hash = await base.writeContract({
      ...UPTO,
      functionName: "settleWithPermit",
      args: [bogusPermit, ...args],
      account: FACILITATOR,
    });
    const receipt = await base.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    expect(receipt.status).toBe("success");
    expect(parseEventLogs({ abi: [...opgAbi, ...UPTO.abi], logs: receipt.logs }).map((log) => log.eventName)).toEqual([
      "EIP2612PermitFailedWithData",
      "Transfer",
      "SettledWithPermit",
    ]);
    const [failure] = parseEventLogs({ abi: HIDDEN_ABI, logs: receipt.logs });
    expect(failure?.args).toMatchObject({ token: OPG_ADDRESS_BASE, owner: payer.address });
  });
});

describe("Permit2", () => {
  test("default: the canonical init code lands at the canonical address with Base's domain separator", async () => {
    expect((permit2InitCode().length - 2) / 2).toBe(9_345);
    expect(
      await base.readContract({ address: PERMIT2_ADDRESS, abi: permit2Abi, functionName: "DOMAIN_SEPARATOR" }),
    ).toMatchInlineSnapshot(`"0x3b6f35e4fce979ef8eac3bcdc8c3fc38fe7911bb0c69c8fe72bf1fd1a17e6f07"`);
    expect(
      await base.readContract({ address: PERMIT2_ADDRESS, abi: permit2Abi, functionName: "DOMAIN_SEPARATOR" }),
    ).toBe(
      domainSeparator({ domain: { name: "Permit2", chainId: BASE_CHAIN_ID, verifyingContract: PERMIT2_ADDRESS } }),
    );
  });

  test("args: permit2NonceWordOf", () => {
    expect(permit2NonceWordOf(0n)).toEqual({ wordPos: 0n, mask: 1n });
    expect(permit2NonceWordOf(258n)).toEqual({ wordPos: 1n, mask: 4n });
    expect(permit2NonceWordOf(2n ** 256n - 1n)).toEqual({ wordPos: 2n ** 248n - 1n, mask: 2n ** 255n });
  });
});

describe("OPG", () => {
  test("default: an 18-decimal ERC-20 under the EIP-712 domain OpenGradient / 1 at OPG's Base address", async () => {
    const read = <F extends "name" | "symbol" | "decimals" | "version" | "DOMAIN_SEPARATOR">(functionName: F) =>
      base.readContract({ address: OPG_ADDRESS_BASE, abi: opgAbi, functionName });
    expect(await Promise.all([read("name"), read("symbol"), read("decimals"), read("version")])).toEqual([
      "OpenGradient",
      "OPG",
      18,
      "1",
    ]);
    expect(await read("DOMAIN_SEPARATOR")).toBe(
      domainSeparator({ domain: { ...OPG_EIP712, chainId: BASE_CHAIN_ID, verifyingContract: OPG_ADDRESS_BASE } }),
    );
  });

  test("behavior: ERC-2612 permit approves, and refuses as OpenZeppelin v5 does", async () => {
    const owner = payerAccountOf("permit2 payments test", payerCount++);
    const sign = (deadline: bigint, nonce = 0n, signer = owner) =>
      signer.signTypedData({
        domain: { ...OPG_EIP712, chainId: BASE_CHAIN_ID, verifyingContract: OPG_ADDRESS_BASE },
        types: {
          Permit: [
            { name: "owner", type: "address" },
            { name: "spender", type: "address" },
            { name: "value", type: "uint256" },
            { name: "nonce", type: "uint256" },
            { name: "deadline", type: "uint256" },
          ],
        },
        primaryType: "Permit",
        message: { owner: owner.address, spender: PERMIT2_ADDRESS, value: 5n, nonce, deadline },
      });
    const permit = async (signature: Hex, deadline: bigint) => {
      const { v, r, s } = parseSignature(signature);
      return revertOf({
        address: OPG_ADDRESS_BASE,
        abi: opgAbi,
        functionName: "permit",
        args: [owner.address, PERMIT2_ADDRESS, 5n, deadline, Number(v), r, s],
      });
    };
    const other = payerAccountOf("permit2 payments test", payerCount++);
    expect({
      expired: await permit(await sign(1n), 1n),
      "wrong signer": await permit(await sign(maxUint256, 0n, other), maxUint256),
      "wrong nonce": await permit(await sign(maxUint256, 1n), maxUint256),
      mint: await revertOf(
        { address: OPG_ADDRESS_BASE, abi: opgAbi, functionName: "mint", args: [other.address, 1n] },
        other.address,
      ),
    }).toMatchInlineSnapshot(`
      {
        "expired": "ERC2612ExpiredSignature",
        "mint": "OwnableUnauthorizedAccount",
        "wrong nonce": "ERC2612InvalidSigner",
        "wrong signer": "ERC2612InvalidSigner",
      }
    `);
    const { v, r, s } = parseSignature(await sign(maxUint256));
    const hash = await base.writeContract({
      address: OPG_ADDRESS_BASE,
      abi: opgAbi,
      functionName: "permit",
      args: [owner.address, PERMIT2_ADDRESS, 5n, maxUint256, Number(v), r, s],
    });
    await base.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    const allowance = await base.readContract({
      address: OPG_ADDRESS_BASE,
      abi: opgAbi,
      functionName: "allowance",
      args: [owner.address, PERMIT2_ADDRESS],
    });
    expect(allowance).toBe(5n);
  });
});

/** A payer holding OPG that approved Permit2 for everything. */
async function approvedPayer() {
  const payer = payerAccountOf("permit2 payments test", payerCount++);
  await mintOpg(base, [payer.address]);
  await base.test.setBalance({ address: payer.address, value: 10n ** 18n });
  const hash = await base.writeContract({
    account: payer,
    address: OPG_ADDRESS_BASE,
    abi: opgAbi,
    functionName: "approve",
    args: [PERMIT2_ADDRESS, maxUint256],
  });
  await base.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  return payer;
}

type Change = {
  sender?: Address;
  amount?: bigint;
  validAfter?: bigint;
  to?: Address;
  deadline?: bigint;
  signer?: ReturnType<typeof payerAccountOf>;
};

let nonce = 1n;

/** An upto `settle` call: a maximum of 1,000 OPG units signed by `payer` for FACILITATOR, with one thing changed. */
async function uptoSettlement(payer: ReturnType<typeof payerAccountOf>, change: Change) {
  const permit = {
    permitted: { token: OPG_ADDRESS_BASE, amount: 1_000n },
    nonce: nonce++,
    deadline: change.deadline ?? maxUint256,
  };
  const witness = {
    to: change.to ?? PAYEE.address,
    facilitator: FACILITATOR.address,
    validAfter: change.validAfter ?? 0n,
  };
  const signature = await (change.signer ?? payer).signTypedData({
    domain: { name: "Permit2", chainId: BASE_CHAIN_ID, verifyingContract: PERMIT2_ADDRESS },
    types: uptoPermit2WitnessTypes,
    primaryType: "PermitWitnessTransferFrom",
    message: { ...permit, spender: X402_UPTO_PERMIT2_PROXY_ADDRESS, witness },
  });
  const args = [permit, change.amount ?? 1_000n, payer.address, witness, signature] as const;
  return { ...UPTO, functionName: "settle", args, sender: change.sender ?? FACILITATOR.address } as const;
}

/** The custom error a call reverts with when sent from `sender`, or undefined when it would succeed. */
async function revertOf(
  call: { address: Address; abi: Abi; functionName: string; args: readonly unknown[]; sender?: Address },
  sender: Address = call.sender ?? FACILITATOR.address,
): Promise<string | undefined> {
  const { sender: _, ...request } = call;
  try {
    await base.simulateContract({ ...request, account: sender } as Parameters<typeof base.simulateContract>[0]);
    return undefined;
  } catch (error) {
    const reverted = error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : null;
    if (reverted instanceof ContractFunctionRevertedError) return reverted.data?.errorName ?? reverted.signature;
    throw error;
  }
}
