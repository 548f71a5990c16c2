import { type Address, encodeAbiParameters, encodePacked, type Hex, isAddress, isHex, keccak256 } from "viem";
import { InvalidInputError } from "./errors";
import { keccak256Of, wordsOf } from "./keccak";

/** The fields that identify one EIP-3009 authorization on the payment chain. */
export type PaymentKey = { chainId: number | bigint; token: Address; payer: Address; nonce: Hex };

/** The fields a TEE signs for one inference. */
export type InferenceKey = { teeId: Hex; inputHash: Hex; outputHash: Hex; timestamp: bigint };

/** True for a 0x-prefixed 32-byte hex string. */
export function isBytes32(value: unknown): value is Hex {
  return typeof value === "string" && value.length === 66 && isHex(value, { strict: true });
}

/** Throws `InvalidInputError` unless `value` is a 32-byte hex string; `what` names it in the message. */
export function assertBytes32(value: unknown, what: string): asserts value is Hex {
  if (!isBytes32(value))
    throw new InvalidInputError(
      `${what} "${String(value)}" is not a 32-byte hex string (0x followed by 64 hex digits).`,
    );
}

function assertAddress(value: unknown, what: string): asserts value is Address {
  if (typeof value !== "string" || !isAddress(value, { strict: false }))
    throw new InvalidInputError(`${what} "${String(value)}" is not a 20-byte hex address.`);
}

/**
 * `keccak256(abi.encode(uint256 chainId, address token, address payer, bytes32 nonce))`: unique per authorization.
 * @example paymentIdOf({ chainId: 8453, token: USDC, payer, nonce })
 */
export function paymentIdOf({ chainId, token, payer, nonce }: PaymentKey): Hex {
  assertAddress(token, "Token");
  assertAddress(payer, "Payer");
  assertBytes32(nonce, "Nonce");
  const words = wordsOf([{ uint256: BigInt(chainId) }, { address: token }, { address: payer }, { bytes32: nonce }]);
  if (words) return keccak256Of(words);
  return keccak256(
    encodeAbiParameters(
      [{ type: "uint256" }, { type: "address" }, { type: "address" }, { type: "bytes32" }],
      [BigInt(chainId), token, payer, nonce],
    ),
  );
}

/** `keccak256(abi.encodePacked(teeId, inputHash, outputHash, uint256 timestamp))`. */
export function inferenceIdOf({ teeId, inputHash, outputHash, timestamp }: InferenceKey): Hex {
  assertBytes32(teeId, "TEE ID");
  assertBytes32(inputHash, "Input hash");
  assertBytes32(outputHash, "Output hash");
  // Every value is a full word, so encodePacked is these words end to end.
  const words = wordsOf([{ bytes32: teeId }, { bytes32: inputHash }, { bytes32: outputHash }, { uint256: timestamp }]);
  if (words) return keccak256Of(words);
  return keccak256(
    encodePacked(["bytes32", "bytes32", "bytes32", "uint256"], [teeId, inputHash, outputHash, timestamp]),
  );
}

/** `keccak256(abi.encode(paymentId, inferenceId))`: the ID a user holds, computable before anything settles. */
export function receiptIdOf({ paymentId, inferenceId }: { paymentId: Hex; inferenceId: Hex }): Hex {
  assertBytes32(paymentId, "Payment ID");
  assertBytes32(inferenceId, "Inference ID");
  const words = wordsOf([{ bytes32: paymentId }, { bytes32: inferenceId }]);
  if (words) return keccak256Of(words);
  return keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "bytes32" }], [paymentId, inferenceId]));
}
