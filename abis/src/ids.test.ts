import { concat, type Hex, keccak256, numberToHex, pad } from "viem";
import { describe, expect, test } from "vitest";
import { inferenceIdOf, paymentIdOf, receiptIdOf } from "./ids";
import vectors from "./vectors.json";

const word = (value: Hex | bigint | number) =>
  typeof value === "string" ? pad(value) : numberToHex(value, { size: 32 });

describe.each(vectors.receipts.map((r, i) => [i, r] as const))("vector %i", (_, receipt) => {
  const payment = {
    ...receipt.payment,
    token: receipt.payment.token as Hex,
    payer: receipt.payment.payer as Hex,
    nonce: receipt.payment.nonce as Hex,
  };
  const inference = { ...receipt.inference, timestamp: BigInt(receipt.inference.timestamp) } as {
    teeId: Hex;
    inputHash: Hex;
    outputHash: Hex;
    timestamp: bigint;
  };

  test("paymentIdOf", () => {
    expect(paymentIdOf(payment)).toBe(receipt.paymentId);
  });

  test("inferenceIdOf", () => {
    expect(inferenceIdOf(inference)).toBe(receipt.inferenceId);
  });

  test("receiptIdOf", () => {
    expect(receiptIdOf({ paymentId: receipt.paymentId as Hex, inferenceId: receipt.inferenceId as Hex })).toBe(
      receipt.receiptId,
    );
  });

  test("behavior: IDs equal the hand-packed encodings of docs/protocol.md", () => {
    const paymentId = keccak256(
      concat([word(payment.chainId), word(payment.token), word(payment.payer), payment.nonce]),
    );
    const inferenceId = keccak256(
      concat([inference.teeId, inference.inputHash, inference.outputHash, word(inference.timestamp)]),
    );
    expect(paymentId).toBe(receipt.paymentId);
    expect(inferenceId).toBe(receipt.inferenceId);
    expect(keccak256(concat([paymentId, inferenceId]))).toBe(receipt.receiptId);
  });
});

describe("args", () => {
  const base = vectors.receipts[0]!;
  test("args: short nonce", () => {
    expect(() =>
      paymentIdOf({
        ...base.payment,
        token: base.payment.token as Hex,
        payer: base.payment.payer as Hex,
        nonce: "0x12",
      }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: Nonce "0x12" is not a 32-byte hex string (0x followed by 64 hex digits).]`,
    );
  });

  test("args: bad payer address", () => {
    expect(() =>
      paymentIdOf({
        chainId: 8453,
        token: base.payment.token as Hex,
        payer: "0xnotanaddress",
        nonce: base.payment.nonce as Hex,
      }),
    ).toThrowErrorMatchingInlineSnapshot(`[InvalidInputError: Payer "0xnotanaddress" is not a 20-byte hex address.]`);
  });

  test("args: receipt ID of a non-hex payment ID", () => {
    expect(() =>
      receiptIdOf({ paymentId: "hello" as Hex, inferenceId: base.inferenceId as Hex }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: Payment ID "hello" is not a 32-byte hex string (0x followed by 64 hex digits).]`,
    );
  });
});
