import { ponder } from "ponder:registry";
import { chainHead } from "ponder:schema";

// Each chain's indexed head: payment states are judged at chain time, never the wall clock.
for (const source of ["BaseClock:block", "OgClock:block"] as const) {
  ponder.on(source, async ({ event, context }) => {
    const head = { name: context.chain.name, blockNumber: event.block.number, timestamp: event.block.timestamp };
    await context.db
      .insert(chainHead)
      .values({ id: context.chain.id, ...head })
      .onConflictDoUpdate(head);
  });
}
