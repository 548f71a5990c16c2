import { isBytes32, paymentIdOf } from "@settlescan/abis";
import type { PaymentPayload } from "@x402/core/types";
import type { ExactEIP3009Payload } from "@x402/evm";
import { type Address, type Hex, isAddress } from "viem";
import { InvalidRequestError } from "./errors";

/** The EIP-3009 authorization inside an x402 `exact` payload, with its integers as bigints. */
export type ExactAuthorization = {
  from: Address;
  to: Address;
  value: bigint;
  validAfter: bigint;
  validBefore: bigint;
  nonce: Hex;
};

/** Reads the EIP-3009 authorization of an x402 v2 `exact` payment; throws `InvalidRequestError` if there is none. */
export function exactAuthorizationOf(payment: PaymentPayload): ExactAuthorization {
  const authorization = (payment.payload as Partial<ExactEIP3009Payload>)?.authorization;
  if (payment.accepted?.scheme !== "exact" || !authorization)
    throw new InvalidRequestError(
      `Payment of scheme "${String(payment.accepted?.scheme)}" carries no EIP-3009 authorization; expected an x402 "exact" payment.`,
    );
  const { from, to, value, validAfter, validBefore, nonce } = authorization;
  if (!isAddress(from, { strict: false }) || !isAddress(to, { strict: false }) || !isBytes32(nonce))
    throw new InvalidRequestError(
      `EIP-3009 authorization ${JSON.stringify(authorization)} has a malformed from, to or nonce.`,
    );
  return { from, to, value: BigInt(value), validAfter: BigInt(validAfter), validBefore: BigInt(validBefore), nonce };
}

/**
 * The Settlescan `paymentId` of an x402 `exact` payment: `keccak256(abi.encode(chainId, token, payer, nonce))`.
 * @example paymentIdOfPayment(await createExactPaymentPayload({ account, requirements }))
 */
export function paymentIdOfPayment(payment: PaymentPayload): Hex {
  const { from, nonce } = exactAuthorizationOf(payment);
  const [namespace, reference] = payment.accepted.network.split(":");
  if (namespace !== "eip155" || !reference || !/^[0-9]+$/.test(reference))
    throw new InvalidRequestError(`Network "${payment.accepted.network}" is not an eip155:<chainId> network.`);
  return paymentIdOf({ chainId: BigInt(reference), token: payment.accepted.asset as Address, payer: from, nonce });
}
