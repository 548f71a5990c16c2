import { ponder } from "ponder:registry";
import { indexedEvent } from "ponder:schema";
import { SETTLESCAN_EVENTS } from "../../settlescanEvents";

// Every event Settlescan handles, each with one insert and nothing else: the cheapest handling of this chain data.

for (const name of SETTLESCAN_EVENTS)
  ponder.on(name, async ({ event, context }) => {
    await context.db.insert(indexedEvent).values({ id: event.id, name });
  });
