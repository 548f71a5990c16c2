import { isBytes32, PERMIT2_ADDRESS, paymentIdOf } from "@settlescan/abis";
import type { PaymentPayload } from "@x402/core/types";
import type { ExactEIP3009Payload, ExactPermit2Payload, UptoPermit2Payload } from "@x402/evm";
import { type Address, getAddress, type Hex, isAddress, numberToHex } from "viem";
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

/** How an x402 payment moves its tokens, named as the indexer names them (`Payment.scheme`). */
export type PaymentScheme = "eip3009" | "permit2_exact" | "permit2_upto";

/** What the gateway and the manifest need of an x402 payment: who pays whom, how, and its Settlescan `paymentId`. */
export type PaymentFacts = {
  scheme: PaymentScheme;
  payer: Address;
  payTo: Address;
  asset: Address;
  /** The authorization's nonce as bytes32 (Permit2's decimal nonce converted). */
  nonce: Hex;
  /** What the payer authorized at most: the exact amount, or an `upto` cap. */
  maxAmount: bigint;
  /**
   * What og-x402 records as an individual settlement's `ethAddress` (`_extract_eth_address_from_payment_payload`):
   * `authorization.from` for EIP-3009, but `permit2Authorization.spender` — x402's proxy, not the payer — for Permit2.
   */
  ethAddress: Address;
  paymentId: Hex;
};

/** The chain id of an `eip155:<id>` network; throws `InvalidRequestError` for another. */
function chainIdOf(network: string): bigint {
  const [namespace, reference] = network.split(":");
  if (namespace !== "eip155" || !reference || !/^[0-9]+$/.test(reference))
    throw new InvalidRequestError(`Network "${network}" is not an eip155:<chainId> network.`);
  return BigInt(reference);
}

/**
 * Reads any x402 EVM payment the gateway takes: `exact` EIP-3009, `exact` over Permit2, or `upto` over Permit2. The
 * `paymentId` follows Settlescan's rule: authority = the token for EIP-3009, Permit2 for Permit2 (nonces per owner).
 * @example const { scheme, payer, paymentId } = paymentFactsOf(decodePaymentSignatureHeader(header))
 */
export function paymentFactsOf(payment: PaymentPayload): PaymentFacts {
  const chainId = chainIdOf(payment.accepted.network);
  const scheme = payment.accepted?.scheme;
  const payload = (payment.payload ?? {}) as Record<string, unknown>;
  if (scheme === "exact" && "authorization" in payload) {
    const { from, to, value, nonce } = exactAuthorizationOf(payment);
    const asset = getAddress(payment.accepted.asset);
    return {
      scheme: "eip3009",
      payer: from,
      payTo: to,
      asset,
      nonce,
      maxAmount: value,
      ethAddress: from,
      paymentId: paymentIdOf({ chainId, token: asset, payer: from, nonce }),
    };
  }
  const auth = (payload as Partial<UptoPermit2Payload | ExactPermit2Payload>).permit2Authorization;
  if ((scheme !== "exact" && scheme !== "upto") || !auth)
    throw new InvalidRequestError(
      `Payment of scheme "${String(scheme)}" carries neither an EIP-3009 nor a Permit2 authorization; expected x402 "exact" or "upto" on EVM.`,
    );
  if (!isAddress(auth.from, { strict: false }) || !/^[0-9]+$/.test(String(auth.nonce)))
    throw new InvalidRequestError(`Permit2 authorization ${JSON.stringify(auth)} has a malformed from or nonce.`);
  const payer = getAddress(auth.from);
  const nonce = numberToHex(BigInt(auth.nonce), { size: 32 });
  return {
    scheme: scheme === "upto" ? "permit2_upto" : "permit2_exact",
    payer,
    payTo: getAddress(auth.witness.to),
    asset: getAddress(auth.permitted.token),
    nonce,
    maxAmount: BigInt(auth.permitted.amount),
    ethAddress: getAddress(auth.spender),
    paymentId: paymentIdOf({ chainId, token: PERMIT2_ADDRESS, payer, nonce }),
  };
}
