import { ponder } from "ponder:registry";
import { settlement } from "ponder:schema";
import { e1 } from "@settlescan/abis";
import { judgePendingBatches } from "./blobs";
import { handledBefore, recordRelayRole, settleEventLeaf, settlementBaseOf } from "./Relay";

// The legacy relay (to 2026-02): no blob ids, no enclave ids. Its proofs are listed under their settlement and found
// by their hashes; what cannot be checked says why.

ponder.on("RelayV1:BatchSettlement", async ({ event, context }) => {
  await judgePendingBatches(context);
  if (await handledBefore(context, event)) return;
  await context.db.insert(settlement).values({
    ...(await settlementBaseOf(context, event)),
    kind: "batch",
    merkleRoot: event.args.merkleRoot,
    batchSize: Number(event.args.batchSize),
    blobId: null,
    blobStatus: "unavailable",
    blobReason:
      "Relay v1 batches name no blob: their leaves were never published, so they cannot be listed or checked.",
    leafEncoding: null,
    leafCount: 0,
    ethAddress: null,
  });
});

for (const name of ["RelayV1:Settlement", "RelayV1:SettlementWithMetadata"] as const)
  ponder.on(name, async ({ event, context }) => {
    await judgePendingBatches(context);
    if (await handledBefore(context, event)) return;
    const base = await settlementBaseOf(context, event);
    await context.db.insert(settlement).values({
      ...base,
      kind: "individual",
      merkleRoot: null,
      batchSize: 1,
      blobId: null,
      blobStatus: null,
      blobReason: null,
      leafEncoding: "e1",
      leafCount: 1,
      ethAddress: null,
    });
    await settleEventLeaf(
      context,
      event,
      base.official,
      e1.fromValues([event.args.inputHash, event.args.outputHash]),
      null,
    );
  });

ponder.on("RelayV1:RoleGranted", ({ event, context }) => recordRelayRole(context, event, true));
ponder.on("RelayV1:RoleRevoked", ({ event, context }) => recordRelayRole(context, event, false));
