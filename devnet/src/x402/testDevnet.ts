// Test fixture: the devnet (both chains, contracts deployed, blob service) plus the facilitators and the gateway.
import { fetchBlob, type WalrusBlobId } from "@settlescan/abis";
import { keccak256, stringToHex } from "viem";
import { EXACT_FACILITATOR, FACILITATOR, PAYEE, UNOFFICIAL_POSTER } from "../accounts";
import { type Devnet, startDevnet } from "../devnet";
import { createGateway, type GatewayEnclave, type GatewayOptions } from "../gateway/gateway";
import { loadTees, type Tee, type TeeKeyName } from "../tees";
import { chainClientOf } from "./chainClient";
import type { PostedSettlement } from "./dataWorker";
import { createFacilitatorServer, type FacilitatorServerOptions } from "./facilitatorServer";
import { serveOnLoopback } from "./serve";
import type { BatchSettlementData } from "./settleData";

export type TestDevnet = Devnet & { tees: Record<TeeKeyName, Tee>; tee: Tee };

/** The devnet on free ports (automine); `tee` is the enclave the gateway runs by default. */
export async function startTestDevnet(): Promise<TestDevnet> {
  const [devnet, tees] = await Promise.all([startDevnet({ ports: "free" }), loadTees()]);
  return { ...devnet, tees, tee: tees["tee-alpha"] };
}

export type TestFacilitatorOptions = Pick<FacilitatorServerOptions, "batch" | "releaseAfterMs" | "onSettlement">;

/** The devnet's facilitator (FACILITATOR on both chains, UNOFFICIAL_POSTER for the `unofficial` fault). */
export function testFacilitatorOf(devnet: Devnet, options: TestFacilitatorOptions = {}) {
  const { deployment } = devnet;
  return createFacilitatorServer({
    baseClient: chainClientOf(deployment, "base", FACILITATOR),
    ogClient: chainClientOf(deployment, "og", FACILITATOR),
    unofficialClient: chainClientOf(deployment, "og", UNOFFICIAL_POSTER),
    relay: deployment.contracts.relay.address,
    legacyRelay: deployment.contracts.legacyRelay.address,
    walrus: deployment.walrus,
    onError: () => {},
    ...options,
  });
}

/** The devnet's exact-link facilitator (EXACT_FACILITATOR on "og"; no payment routes, no unofficial poster). */
export function testExactFacilitatorOf(devnet: Devnet, options: TestFacilitatorOptions = {}) {
  const { deployment } = devnet;
  return createFacilitatorServer({
    ogClient: chainClientOf(deployment, "og", EXACT_FACILITATOR),
    relay: deployment.contracts.relay.address,
    walrus: deployment.walrus,
    link: "exact",
    onError: () => {},
    ...options,
  });
}

/** Records every settlement a facilitator saw mined. */
export function settlementRecorder() {
  const settlements: PostedSettlement[] = [];
  return { settlements, onSettlement: (settlement: PostedSettlement) => void settlements.push(settlement) };
}

export type TestServers = {
  facilitator: ReturnType<typeof createFacilitatorServer>;
  exactFacilitator: ReturnType<typeof createFacilitatorServer>;
  gateway: ReturnType<typeof createGateway>;
  facilitatorUrl: string;
  exactFacilitatorUrl: string;
  gatewayUrl: string;
  /** Settlements each facilitator saw mined. */
  settlements: PostedSettlement[];
  exactSettlements: PostedSettlement[];
  /** Hands what the gateway holds to the facilitators and posts their buffers. */
  flush: () => Promise<void>;
  close: () => Promise<void>;
};

/** Both facilitators and the gateway on loopback, wired to the test devnet. */
export async function startTestServers(
  devnet: TestDevnet,
  {
    batch,
    releaseAfterMs,
    gateway: gatewayOptions = {},
  }: Pick<TestFacilitatorOptions, "batch" | "releaseAfterMs"> & {
    gateway?: Partial<Pick<GatewayOptions, "tees" | "faultTees">>;
  } = {},
): Promise<TestServers> {
  const plain = settlementRecorder();
  const exact = settlementRecorder();
  const options = { ...(batch ? { batch } : {}), ...(releaseAfterMs !== undefined ? { releaseAfterMs } : {}) };
  const facilitator = testFacilitatorOf(devnet, { ...options, onSettlement: plain.onSettlement });
  const exactFacilitator = testExactFacilitatorOf(devnet, { ...options, onSettlement: exact.onSettlement });
  const [facilitatorServed, exactServed] = await Promise.all([
    serveOnLoopback(facilitator.app.fetch),
    serveOnLoopback(exactFacilitator.app.fetch),
  ]);
  const gateway = createGateway({
    facilitatorUrl: facilitatorServed.url,
    exactFacilitatorUrl: exactServed.url,
    payTo: PAYEE.address,
    tees: [devnet.tee],
    faultTees: { unregistered: devnet.tees["tee-unregistered"], disabled: devnet.tees["tee-disabled"] },
    onError: () => {},
    ...gatewayOptions,
  });
  const gatewayServed = await serveOnLoopback(gateway.app.fetch);
  return {
    facilitator,
    exactFacilitator,
    gateway,
    facilitatorUrl: facilitatorServed.url,
    exactFacilitatorUrl: exactServed.url,
    gatewayUrl: gatewayServed.url,
    settlements: plain.settlements,
    exactSettlements: exact.settlements,
    async flush() {
      await gateway.idle();
      await Promise.all([facilitator.worker.flush(), exactFacilitator.worker.flush()]);
    },
    async close() {
      await gatewayServed.close();
      await gateway.idle();
      await Promise.all([facilitator.close(), exactFacilitator.close()]);
      await Promise.all([facilitatorServed.close(), exactServed.close()]);
    },
  };
}

let counter = 0;

/** A proof signed by `tee` now, as the gateway hands it to `/settle_data` (batch keys). */
export async function signedSettlementDataOf(
  tee: GatewayEnclave | Tee,
  label = `proof ${++counter}`,
): Promise<BatchSettlementData> {
  const inputHash = keccak256(stringToHex(`input of ${label} ${Math.random()}`));
  const outputHash = keccak256(stringToHex(`output of ${label}`));
  const timestamp = BigInt(Math.floor(Date.now() / 1000));
  const signature = await tee.sign({ inputHash, outputHash, timestamp });
  return {
    tee_id: tee.teeId,
    input_hash: inputHash.slice(2),
    output_hash: outputHash.slice(2),
    tee_signature: Buffer.from(signature.slice(2), "hex").toString("base64"),
    tee_timestamp: Number(timestamp),
    timestamp: Number(timestamp),
  };
}

/** The blob's HTTP status and text on the devnet's aggregator. */
export async function blobOf(devnet: Devnet, blobId: WalrusBlobId) {
  const blob = await fetchBlob(devnet.deployment.walrus.aggregatorUrl, blobId, { retries: 0 });
  return blob.status === "available"
    ? { httpStatus: 200, text: new TextDecoder().decode(blob.bytes) }
    : { httpStatus: blob.httpStatus, text: "" };
}
