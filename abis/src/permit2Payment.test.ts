import {
  type Address,
  concat,
  encodeAbiParameters,
  encodeEventTopics,
  encodeFunctionData,
  type Hex,
  keccak256,
  pad,
  parseAbi,
  toHex,
} from "viem";
import { describe, expect, test } from "vitest";
import { OPG_ADDRESS_BASE, PERMIT2_ADDRESS, X402_UPTO_PERMIT2_PROXY_ADDRESS } from "./constants";
import {
  type CallFrame,
  decodePermit2Settlement,
  isPermit2NonceCancelled,
  PERMIT2_SETTLE_SELECTORS,
  type Permit2Settlement,
  permit2MismatchesOf,
  permit2NonceWordOf,
  permit2PaymentIdOf,
  settleCallsOfTrace,
  tokenTransferOfLog,
} from "./permit2Payment";
import { x402ExactPermit2ProxyAbi } from "./x402ExactPermit2ProxyAbi";
import { x402UptoPermit2ProxyAbi } from "./x402UptoPermit2ProxyAbi";

const PAYER: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const PAYEE: Address = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const FACILITATOR: Address = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const NONCE = 0xa3f1_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0102n;
const PERMIT = { permitted: { token: OPG_ADDRESS_BASE, amount: 10n ** 17n }, nonce: NONCE, deadline: 1_800_000_000n };
const PERMIT_2612 = { value: 10n ** 17n, deadline: 1_800_000_000n, r: pad("0x01"), s: pad("0x02"), v: 27 };
const SIGNATURE = toHex(new Uint8Array(65).fill(7));
/** An ERC-8021 builder-code suffix as x402's `builder-code` extension appends it (CBOR, then the marker). */
const BUILDER_CODE_SUFFIX: Hex = "0xa1616362736580218021802180218021802180218021";

const CALLS = {
  uptoSettle: encodeFunctionData({
    abi: x402UptoPermit2ProxyAbi,
    functionName: "settle",
    args: [PERMIT, 12_345n, PAYER, { to: PAYEE, facilitator: FACILITATOR, validAfter: 5n }, SIGNATURE],
  }),
  uptoSettleWithPermit: encodeFunctionData({
    abi: x402UptoPermit2ProxyAbi,
    functionName: "settleWithPermit",
    args: [PERMIT_2612, PERMIT, 777n, PAYER, { to: PAYEE, facilitator: FACILITATOR, validAfter: 0n }, SIGNATURE],
  }),
  exactSettle: encodeFunctionData({
    abi: x402ExactPermit2ProxyAbi,
    functionName: "settle",
    args: [PERMIT, PAYER, { to: PAYEE, validAfter: 9n }, SIGNATURE],
  }),
  exactSettleWithPermit: encodeFunctionData({
    abi: x402ExactPermit2ProxyAbi,
    functionName: "settleWithPermit",
    args: [PERMIT_2612, PERMIT, PAYER, { to: PAYEE, validAfter: 0n }, SIGNATURE],
  }),
};

const UPTO_SETTLEMENT: Permit2Settlement = {
  scheme: "upto",
  functionName: "settle",
  token: OPG_ADDRESS_BASE,
  maxAmount: 10n ** 17n,
  amount: 12_345n,
  nonce: NONCE,
  deadline: 1_800_000_000n,
  payer: PAYER,
  payTo: PAYEE,
  validAfter: 5n,
  facilitator: FACILITATOR,
};

describe("decodePermit2Settlement", () => {
  test("default: each settle function of both proxies, by selector", () => {
    expect(Object.values(CALLS).map((input) => input.slice(0, 10))).toEqual(Object.keys(PERMIT2_SETTLE_SELECTORS));
    expect(decodePermit2Settlement(CALLS.uptoSettle)).toEqual(UPTO_SETTLEMENT);
    expect(decodePermit2Settlement(CALLS.uptoSettleWithPermit)).toEqual({
      ...UPTO_SETTLEMENT,
      functionName: "settleWithPermit",
      amount: 777n,
      validAfter: 0n,
    });
    const exact = { ...UPTO_SETTLEMENT, scheme: "exact", amount: 10n ** 17n, facilitator: null };
    expect(decodePermit2Settlement(CALLS.exactSettle)).toEqual({ ...exact, validAfter: 9n });
    expect(decodePermit2Settlement(CALLS.exactSettleWithPermit)).toEqual({
      ...exact,
      functionName: "settleWithPermit",
      validAfter: 0n,
    });
  });

  test("behavior: a builder-code suffix after the arguments is ignored", () => {
    for (const input of Object.values(CALLS))
      expect(decodePermit2Settlement(concat([input, BUILDER_CODE_SUFFIX]))).toEqual(decodePermit2Settlement(input));
  });

  test("behavior: heads that are not canonical ABI are decoded by viem, with the same result", () => {
    // Dirty upper bytes in the owner word: not what Solidity encodes, so the direct reader leaves it to viem, which
    // reads the address from the word's low 20 bytes.
    const ownerWord = 10 + 64 * 5;
    const dirty = `${CALLS.uptoSettle.slice(0, ownerWord)}ff${CALLS.uptoSettle.slice(ownerWord + 2)}` as Hex;
    expect(decodePermit2Settlement(dirty)).toEqual(UPTO_SETTLEMENT);
  });

  test("behavior: any other call is not a settlement", () => {
    expect(decodePermit2Settlement("0x")).toBeNull();
    expect(decodePermit2Settlement("0xa9059cbb")).toBeNull();
    expect(
      decodePermit2Settlement(encodeFunctionData({ abi: x402UptoPermit2ProxyAbi, functionName: "PERMIT2" })),
    ).toBeNull();
  });

  test("args: a settle selector with truncated arguments", () => {
    expect(() => decodePermit2Settlement(CALLS.exactSettle.slice(0, 200) as Hex)).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: Calldata "0x13cd3b53000000000000000000000000fbc2051ae2265686a469421b2c5a2d5462fbf5eb…" starts with the exact proxy's settle selector but is not its ABI-encoded arguments.]`,
    );
  });
});

describe("tokenTransferOfLog", () => {
  const transferAbi = parseAbi(["event Transfer(address indexed from, address indexed to, uint256 value)"]);
  const topics = encodeEventTopics({
    abi: transferAbi,
    eventName: "Transfer",
    args: { from: PAYER, to: PAYEE },
  }) as Hex[];

  test("default: an ERC-20 Transfer log", () => {
    expect(
      tokenTransferOfLog({ address: OPG_ADDRESS_BASE.toLowerCase() as Address, topics, data: pad(toHex(5n)) }),
    ).toEqual({ token: OPG_ADDRESS_BASE, from: PAYER, to: PAYEE, value: 5n });
  });

  test("behavior: other logs (an ERC-721 Transfer, whose id is indexed; another event) are not transfers", () => {
    expect(tokenTransferOfLog({ address: OPG_ADDRESS_BASE, topics: [...topics, pad("0x05")], data: "0x" })).toBeNull();
    expect(
      tokenTransferOfLog({ address: OPG_ADDRESS_BASE, topics: [pad("0x01"), ...topics.slice(1)], data: pad("0x05") }),
    ).toBeNull();
  });
});

describe("permit2MismatchesOf", () => {
  const transfer = { token: OPG_ADDRESS_BASE, from: PAYER, to: PAYEE, value: 12_345n };

  test("default: the call, the event and the Transfer agree", () => {
    expect(permit2MismatchesOf({ settlement: UPTO_SETTLEMENT, scheme: "upto", event: "Settled", transfer })).toEqual(
      [],
    );
  });

  test("behavior: every disagreement is named, with both values", () => {
    expect(
      permit2MismatchesOf({
        settlement: UPTO_SETTLEMENT,
        scheme: "upto",
        event: "SettledWithPermit",
        transfer: { ...transfer, to: FACILITATOR, value: 12_000n },
      }),
    ).toMatchInlineSnapshot(`
      [
        "SettledWithPermit() was emitted for a call to upto settle, which emits Settled()",
        "the token Transfer before SettledWithPermit() disagrees with the call: to 0x90F79bf6EB2c4f870365E785982E1f101E93b906 (call's witness.to: 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC), value 12000 (call: 12345)",
      ]
    `);
    expect(
      permit2MismatchesOf({ settlement: UPTO_SETTLEMENT, scheme: "exact", event: "Settled", transfer: null }),
    ).toMatchInlineSnapshot(`
      [
        "the exact proxy emitted Settled() for a call to upto settle",
        "no token Transfer right before Settled(); the call moves 12345 of 0xFbC2051AE2265686a469421b2C5A2D5462FbF5eB from 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 to 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
      ]
    `);
    expect(
      permit2MismatchesOf({
        settlement: UPTO_SETTLEMENT,
        scheme: "upto",
        event: "Settled",
        transfer: { ...transfer, token: PERMIT2_ADDRESS, from: PAYEE },
      }),
    ).toMatchInlineSnapshot(`
      [
        "the token Transfer before Settled() disagrees with the call: token 0x000000000022D473030F116dDEE9F6B43aC78BA3 (call: 0xFbC2051AE2265686a469421b2C5A2D5462FbF5eB), from 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC (call's owner: 0x70997970C51812dc3A010C7d01b50e0d17dc79C8)",
      ]
    `);
  });
});

describe("settleCallsOfTrace", () => {
  const proxy = X402_UPTO_PERMIT2_PROXY_ADDRESS;
  const call = (input: Hex, extra: Partial<CallFrame> = {}): CallFrame => ({
    type: "CALL",
    from: FACILITATOR,
    to: proxy.toLowerCase() as Address,
    input,
    ...extra,
  });

  test("default: settle calls to the proxy that stayed in effect, in execution order", () => {
    const second = CALLS.uptoSettleWithPermit;
    const trace: CallFrame = {
      type: "CALL",
      from: FACILITATOR,
      to: "0xcA11bde05977b3631167028862bE2a173976CA11",
      input: "0x82ad56cb",
      calls: [
        call(CALLS.uptoSettle, { calls: [call("0x", { to: PERMIT2_ADDRESS })] }),
        call(CALLS.uptoSettle, { error: "execution reverted" }),
        { ...call(CALLS.uptoSettle), type: "STATICCALL" },
        call(CALLS.exactSettle, { to: PAYEE }),
        {
          type: "CALL",
          from: FACILITATOR,
          to: PAYEE,
          input: "0x",
          error: "execution reverted",
          calls: [call(CALLS.uptoSettle)],
        },
        { type: "CALL", from: FACILITATOR, to: PAYEE, input: "0x", calls: [call(second)] },
      ],
    };
    expect(settleCallsOfTrace(trace, proxy)).toEqual([CALLS.uptoSettle, second]);
  });
});

describe("Permit2 nonces", () => {
  test("default: the word and bit of a nonce, and cancellations covering it", () => {
    expect(permit2NonceWordOf(258n)).toEqual({ word: 1n, mask: 4n });
    expect(permit2NonceWordOf(NONCE)).toEqual({ word: NONCE >> 8n, mask: 1n << 2n });
    expect(isPermit2NonceCancelled(258n, { word: 1n, mask: 0b110n })).toBe(true);
    expect(isPermit2NonceCancelled(258n, { word: 1n, mask: 0b011n })).toBe(false);
    expect(isPermit2NonceCancelled(258n, { word: 2n, mask: 0b100n })).toBe(false);
  });

  test("default: paymentId with Permit2 as the authority", () => {
    expect(permit2PaymentIdOf({ chainId: 8453, payer: PAYER, nonce: NONCE })).toBe(
      keccak256(
        encodeAbiParameters(
          [{ type: "uint256" }, { type: "address" }, { type: "address" }, { type: "bytes32" }],
          [8453n, PERMIT2_ADDRESS, PAYER, toHex(NONCE, { size: 32 })],
        ),
      ),
    );
  });
});
