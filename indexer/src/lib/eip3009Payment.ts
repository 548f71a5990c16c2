import { paymentIdOf } from "@settlescan/abis";
import type { Address, Hex } from "viem";

type Authorization = { paymentId: Hex; authorizer: Address; nonce: Hex };

/**
 * The `usdc_authorization` row of an EIP-3009 `AuthorizationUsed` log: kept until the `Transfer` right after it
 * makes the payment whole.
 */
export const usdcAuthorizationOf = (
  event: {
    args: { authorizer: Address; nonce: Hex };
    log: { address: Address; logIndex: number };
    transaction: { hash: Hex };
  },
  chainId: number,
) => ({
  id: `${event.transaction.hash}-${event.log.logIndex}`,
  paymentId: paymentIdOf({ chainId, token: event.log.address, payer: event.args.authorizer, nonce: event.args.nonce }),
  authorizer: event.args.authorizer,
  nonce: event.args.nonce,
});

/** The payment an authorization and the `Transfer` right after it (log index + 1) make, before it is judged. */
export const eip3009PaymentOf = (
  authorization: Authorization,
  event: {
    args: { to: Address; value: bigint };
    log: { address: Address; logIndex: number };
    block: { number: bigint; timestamp: bigint };
    transaction: { hash: Hex; from: Address };
  },
  chainId: number,
) => ({
  id: authorization.paymentId,
  chainId,
  token: event.log.address,
  payer: authorization.authorizer,
  nonce: authorization.nonce,
  facilitator: event.transaction.from,
  payee: event.args.to,
  amount: event.args.value,
  txHash: event.transaction.hash,
  blockNumber: event.block.number,
  logIndex: event.log.logIndex - 1,
  paidAt: event.block.timestamp,
  // x402 `exact` over EIP-3009: the authorization's value is what moves (its validity window is only in calldata).
  scheme: "eip3009" as const,
  maxAmount: null,
  validAfter: null,
  deadline: null,
  mismatch: null,
});
