import { ponder } from "ponder:registry";
import { indexedEvent } from "ponder:schema";

// Every event Settlescan handles (src/*.ts), each with one insert and nothing else: the floor for this chain data.
const EVENTS = [
  "Usdc:AuthorizationUsed",
  "Usdc:Transfer",
  "Permit2Proxy:Settled",
  "Permit2Proxy:SettledWithPermit",
  "Permit2:UnorderedNonceInvalidation",
  "TeeRegistry:TEERegistered",
  "TeeRegistry:TEEDisabled",
  "TeeRegistry:TEEEnabled",
  "TeeRegistry:PCRApproved",
  "TeeRegistry:PCRRevoked",
  "TeeRegistry:HeartbeatReceived",
  "Relay:BatchSettlement",
  "Relay:IndividualSettlement",
  "Relay:RoleGranted",
  "Relay:RoleRevoked",
  "RelayV1:BatchSettlement",
  "RelayV1:Settlement",
  "RelayV1:SettlementWithMetadata",
  "RelayV1:RoleGranted",
  "RelayV1:RoleRevoked",
] as const;

for (const name of EVENTS)
  ponder.on(name, async ({ event, context }) => {
    await context.db.insert(indexedEvent).values({ id: event.id, name });
  });
