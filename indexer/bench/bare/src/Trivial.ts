import { ponder } from "ponder:registry";
import { indexedEvent } from "ponder:schema";

// The same events Settlescan handles, each with one insert and nothing else: the floor for this chain data.
const EVENTS = [
  "Usdc:AuthorizationUsed",
  "Usdc:Transfer",
  "TeeRegistry:TeeRegistered",
  "TeeRegistry:TeeRevoked",
  "SettlementRelay:BatchSettlement",
  "SettlementRelay:IndividualSettlement",
  "BaseClock:block",
  "OgClock:block",
] as const;

for (const name of EVENTS)
  ponder.on(name, async ({ event, context }) => {
    await context.db.insert(indexedEvent).values({ id: event.id, name });
  });
