import { paymentIdOf } from "@settlescan/abis";
import type { Address, Hex } from "viem";

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
