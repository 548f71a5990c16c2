import { ponder } from "ponder:registry";
import { tee } from "ponder:schema";
import { teeIdOf } from "@settlescan/abis";

ponder.on("TeeRegistry:TeeRegistered", async ({ event, context }) => {
  const registration = {
    publicKey: event.args.publicKey,
    keyMatchesId: teeIdOf(event.args.publicKey) === event.args.teeId.toLowerCase(),
    registeredAtBlock: event.block.number,
    registeredAt: event.block.timestamp,
    registeredTx: event.transaction.hash,
    revoked: false,
    revokedAtBlock: null,
    revokedAt: null,
    revokedTx: null,
  };
  await context.db
    .insert(tee)
    .values({ id: event.args.teeId, ...registration })
    .onConflictDoUpdate(registration);
});

ponder.on("TeeRegistry:TeeRevoked", async ({ event, context }) => {
  const registered = await context.db.find(tee, { id: event.args.teeId });
  if (!registered) return;
  await context.db.update(tee, { id: event.args.teeId }).set({
    revoked: true,
    revokedAtBlock: event.block.number,
    revokedAt: event.block.timestamp,
    revokedTx: event.transaction.hash,
  });
});
