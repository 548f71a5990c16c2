import { ponder } from "ponder:registry";
import { relaySigner, settlement } from "ponder:schema";
import { e1 } from "@settlescan/abis";
import { judgePendingBatches } from "./blobs";
import { passedCheck } from "./lib/verdict";
import { handledBefore, SETTLEMENT_RELAY_ROLE, settlementBaseOf } from "./Relay";
import { settleLeaf, teeFactsReader } from "./settle";

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
    const leaf = e1.fromValues([event.args.inputHash, event.args.outputHash]);
    await settleLeaf(
      context,
      {
        settlementId: base.id,
        leafIndex: 0,
        leaf,
        leafHash: null,
        proof: [],
        inclusion: passedCheck,
        official: base.official,
        at: { block: event.block.number, logIndex: event.log.logIndex },
        settledAt: event.block.timestamp,
      },
      teeFactsReader(context),
    );
  });

for (const name of ["RelayV1:RoleGranted", "RelayV1:RoleRevoked"] as const)
  ponder.on(name, async ({ event, context }) => {
    if (event.args.role !== SETTLEMENT_RELAY_ROLE) return;
    const holder = {
      relay: event.log.address,
      account: event.args.account,
      granted: name === "RelayV1:RoleGranted",
      changedAtBlock: event.block.number,
    };
    await context.db
      .insert(relaySigner)
      .values({ id: `${event.log.address.toLowerCase()}-${event.args.account.toLowerCase()}`, ...holder })
      .onConflictDoUpdate(holder);
  });
