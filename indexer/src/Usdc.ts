import { ponder } from "ponder:registry";
import { payment, usdcAuthorization } from "ponder:schema";
import { paymentIdOf } from "@settlescan/abis";
import { reconcilePayment } from "./reconcile";

// EIP-3009: `AuthorizationUsed` then `Transfer`, in the same transaction. The payment is keyed by its id; the
// Transfer right after it supplies payee and amount.
ponder.on("Usdc:AuthorizationUsed", async ({ event, context }) => {
  const paymentId = paymentIdOf({
    chainId: context.chain.id,
    token: event.log.address,
    payer: event.args.authorizer,
    nonce: event.args.nonce,
  });
  await context.db.insert(payment).values({
    id: paymentId,
    chainId: context.chain.id,
    token: event.log.address,
    payer: event.args.authorizer,
    nonce: event.args.nonce,
    facilitator: event.transaction.from,
    txHash: event.transaction.hash,
    blockNumber: event.block.number,
    logIndex: event.log.logIndex,
    paidAt: event.block.timestamp,
    state: "awaiting_proof",
    receiptCount: 0,
    verifiedReceiptCount: 0,
  });
  await context.db.insert(usdcAuthorization).values({
    id: `${event.transaction.hash}-${event.log.logIndex}`,
    paymentId,
    authorizer: event.args.authorizer,
  });
});

ponder.on("Usdc:Transfer", async ({ event, context }) => {
  const authorization = await context.db.find(usdcAuthorization, {
    id: `${event.transaction.hash}-${event.log.logIndex - 1}`,
  });
  // Any other transfer (a mint, a plain transfer) is not an x402 payment.
  if (!authorization || authorization.authorizer.toLowerCase() !== event.args.from.toLowerCase()) return;
  const paid = await context.db
    .update(payment, { id: authorization.paymentId })
    .set({ payee: event.args.to, amount: event.args.value });
  await reconcilePayment(context, authorization.paymentId, { paid });
});
