import { ponder } from "ponder:registry";
import { usdcAuthorization } from "ponder:schema";
import { usdcAuthorizationOf } from "./lib/usdcAuthorization";
import { linkSessionPayment, type PaidPayment, reconcilePayment } from "./reconcile";

// EIP-3009: `AuthorizationUsed` then `Transfer`, in the same transaction. The authorization is kept until the
// Transfer right after it, which writes the payment whole, judged: one insert per payment, not an insert and updates.
ponder.on("Usdc:AuthorizationUsed", async ({ event, context }) => {
  await context.db.insert(usdcAuthorization).values(usdcAuthorizationOf(event, context.chain.id));
});

ponder.on("Usdc:Transfer", async ({ event, context }) => {
  const authorizationLogIndex = event.log.logIndex - 1;
  const authorization = await context.db.find(usdcAuthorization, {
    id: `${event.transaction.hash}-${authorizationLogIndex}`,
  });
  // Any other transfer (a mint, a plain transfer) is not an x402 payment.
  if (!authorization || authorization.authorizer.toLowerCase() !== event.args.from.toLowerCase()) return;
  const paid: PaidPayment = {
    id: authorization.paymentId,
    chainId: context.chain.id,
    token: event.log.address,
    payer: authorization.authorizer,
    nonce: authorization.nonce,
    facilitator: event.transaction.from,
    payee: event.args.to,
    amount: event.args.value,
    txHash: event.transaction.hash,
    blockNumber: event.block.number,
    logIndex: authorizationLogIndex,
    paidAt: event.block.timestamp,
    // x402 `exact` over EIP-3009: the authorization's value is what moves (its validity window is only in calldata).
    scheme: "eip3009",
    maxAmount: null,
    validAfter: null,
    deadline: null,
    mismatch: null,
  };
  // Judged (state, receipt counts) and inserted by reconciliation, with any claims already indexed counted.
  await reconcilePayment(context, authorization.paymentId, { pendingPayment: paid });
  await linkSessionPayment(context, paid);
});
