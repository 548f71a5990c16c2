import { type Context, ponder } from "ponder:registry";
import { pcr, tee } from "ponder:schema";
import { teeIdOf, teeRegistryAbi } from "@settlescan/abis";
import { type Address, decodeFunctionData, type Hex, toFunctionSelector } from "viem";
import { judgePendingBatches } from "./blobs";
import { enclaveAttestationOf } from "./lib/nitro";
import { type TeeStatusChange, withStatusChange } from "./lib/teeStatus";

const REGISTER = toFunctionSelector("registerTEEWithAttestation(bytes,bytes,bytes,address,string,uint8)");

const pcrIdOf = (registry: Address, teeType: number, pcrHash: Hex) =>
  `${registry.toLowerCase()}-${teeType}-${pcrHash.toLowerCase()}`;

type RegistryEvent = {
  log: { address: Address; logIndex: number };
  block: { number: bigint };
  transaction: { hash: Hex };
};
const changeOf = (kind: TeeStatusChange["kind"], event: RegistryEvent): TeeStatusChange => ({
  kind,
  block: event.block.number.toString(),
  logIndex: event.log.logIndex,
  tx: event.transaction.hash,
});

/** The attestation document of a direct `registerTEEWithAttestation` call (a contract caller leaves none in the tx). */
function attestationDocumentOf(event: { log: { address: Address }; transaction: { to: Address | null; input: Hex } }) {
  const { to, input } = event.transaction;
  if (to?.toLowerCase() !== event.log.address.toLowerCase() || !input.startsWith(REGISTER)) return null;
  try {
    return decodeFunctionData({ abi: teeRegistryAbi, data: input }).args?.[0] as Hex;
  } catch {
    return null;
  }
}

ponder.on("TeeRegistry:TEERegistered", async ({ event, context }) => {
  await judgePendingBatches(context);
  // No event carries the key or the PCR hash: read the record as it was at the registration's block. Readers of
  // registries whose TEEInfo gained fields (ohttpConfig) decode with this ABI too: the head of the tuple is unchanged.
  const info = await context.client.readContract({
    abi: teeRegistryAbi,
    address: event.log.address,
    functionName: "getTEE",
    args: [event.args.teeId],
    blockNumber: event.block.number,
  });
  const document = attestationDocumentOf(event);
  const registration = {
    registry: event.log.address,
    owner: event.args.owner,
    teeType: Number(event.args.teeType),
    publicKey: info.publicKey,
    keyMatchesId: teeIdOf(info.publicKey) === event.args.teeId.toLowerCase(),
    pcrHash: info.pcrHash,
    paymentAddress: info.paymentAddress,
    endpoint: info.endpoint,
    source: document ? "calldata" : "getTEE",
    attestationDocument: document,
    // Its own fact about the registration: the settlements' `attestation` check never reads it.
    ...(await enclaveAttestationOf(document, { publicKey: info.publicKey, registeredAt: event.block.timestamp })),
    registeredAtBlock: event.block.number,
    registeredAt: event.block.timestamp,
    registeredTx: event.transaction.hash,
    enabled: true,
    history: [changeOf("registered", event)],
    lastHeartbeatAt: null,
  };
  await context.db
    .insert(tee)
    .values({ id: event.args.teeId, ...registration })
    .onConflictDoUpdate(registration);
  const pcrId = pcrIdOf(event.log.address, registration.teeType, info.pcrHash);
  const known = await context.db.find(pcr, { id: pcrId });
  if (known) await context.db.update(pcr, { id: pcrId }).set({ teeIds: [...known.teeIds, event.args.teeId] });
});

async function recordStatus(context: Context, teeId: Hex, change: TeeStatusChange, enabled: boolean) {
  const row = await context.db.find(tee, { id: teeId });
  if (!row) return;
  await context.db.update(tee, { id: teeId }).set({ enabled, history: withStatusChange(row.history, change) });
}

ponder.on("TeeRegistry:TEEDisabled", async ({ event, context }) => {
  await judgePendingBatches(context);
  await recordStatus(context, event.args.teeId, changeOf("disabled", event), false);
});

ponder.on("TeeRegistry:TEEEnabled", async ({ event, context }) => {
  await judgePendingBatches(context);
  await recordStatus(context, event.args.teeId, changeOf("enabled", event), true);
});

ponder.on("TeeRegistry:PCRApproved", async ({ event, context }) => {
  await judgePendingBatches(context);
  const teeType = Number(event.args.teeType);
  const approval = {
    registry: event.log.address,
    pcrHash: event.args.pcrHash,
    teeType,
    version: event.args.version,
    approved: true,
    approvedAtBlock: event.block.number,
    revokedAtBlock: null,
  };
  await context.db
    .insert(pcr)
    .values({ id: pcrIdOf(event.log.address, teeType, event.args.pcrHash), ...approval, teeIds: [] })
    .onConflictDoUpdate(approval);
});

// Revoking a PCR disables every enabled enclave running it, with no per-enclave event: recorded here for each.
ponder.on("TeeRegistry:PCRRevoked", async ({ event, context }) => {
  await judgePendingBatches(context);
  const id = pcrIdOf(event.log.address, Number(event.args.teeType), event.args.pcrHash);
  const row = await context.db.find(pcr, { id });
  if (!row) return;
  await context.db.update(pcr, { id }).set({ approved: false, revokedAtBlock: event.block.number });
  for (const teeId of row.teeIds) {
    const enclave = await context.db.find(tee, { id: teeId });
    if (enclave?.enabled) await recordStatus(context, teeId, changeOf("pcr_revoked", event), false);
  }
});

ponder.on("TeeRegistry:HeartbeatReceived", async ({ event, context }) => {
  await judgePendingBatches(context);
  const row = await context.db.find(tee, { id: event.args.teeId });
  if (row) await context.db.update(tee, { id: event.args.teeId }).set({ lastHeartbeatAt: event.args.timestamp });
});
