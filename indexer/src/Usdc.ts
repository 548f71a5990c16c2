import { ponder } from "ponder:registry";
import { usdcAuthorization } from "ponder:schema";
import { eip3009PaymentOf, usdcAuthorizationOf } from "./lib/eip3009Payment";
import { linkSessionPayment, type PaidPayment, reconcilePayment } from "./reconcile";

// EIP-3009: `AuthorizationUsed` then `Transfer`, in the same transaction. The authorization is kept until the
// Transfer right after it, which writes the payment whole, judged: one insert per payment, not an insert and updates.
ponder.on("Usdc:AuthorizationUsed", async ({ event, context }) => {
  await context.db.insert(usdcAuthorization).values(usdcAuthorizationOf(event, context.chain.id));
});

ponder.on("Usdc:Transfer", async ({ event, context }) => {
  const authorization = await context.db.find(usdcAuthorization, {
    id: `${event.transaction.hash}-${event.log.logIndex - 1}`,
  });
  // Any other transfer (a mint, a plain transfer) is not an x402 payment.
  if (!authorization || authorization.authorizer.toLowerCase() !== event.args.from.toLowerCase()) return;
  const paid: PaidPayment = eip3009PaymentOf(authorization, event, context.chain.id);
  // Judged (state, receipt counts) and inserted by reconciliation, with any claims already indexed counted.
  await reconcilePayment(context, authorization.paymentId, { pendingPayment: paid });
  await linkSessionPayment(context, paid);
});
