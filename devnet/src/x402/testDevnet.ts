// Test fixture: the devnet (both chains, contracts deployed) plus the x402 servers on loopback.
import { type Hex, keccak256, stringToHex } from "viem";
import { FACILITATOR, PAYEE } from "../accounts";
import { type Devnet, startDevnet } from "../devnet";
import { loadTees, type Tee, type TeeKeyName } from "../tees";
import { chainClientOf } from "./chainClient";
import { createFacilitatorServer, type FacilitatorServerOptions } from "./facilitatorServer";
import { createInferenceServer } from "./inferenceServer";
import { serveOnLoopback } from "./serve";

export type TestDevnet = Devnet & { tees: Record<TeeKeyName, Tee>; tee: Tee };

/** The devnet on free ports (automine); `tee` is the enclave the inference server runs by default. */
export async function startTestDevnet(): Promise<TestDevnet> {
  const [devnet, tees] = await Promise.all([startDevnet({ ports: "free" }), loadTees()]);
  return { ...devnet, tees, tee: tees["tee-alpha"] };
}

/** A facilitator on the test devnet, its posted batches recorded. */
export function testFacilitatorOf(
  devnet: Devnet,
  options: Pick<FacilitatorServerOptions, "batch" | "onBatchPosted"> = {},
) {
  return createFacilitatorServer({
    baseClient: chainClientOf(devnet.deployment, "base", FACILITATOR),
    ogClient: chainClientOf(devnet.deployment, "og", FACILITATOR),
    relay: devnet.deployment.contracts.settlementRelay.address,
    ...options,
  });
}

export type TestServers = {
  facilitator: ReturnType<typeof createFacilitatorServer>;
  facilitatorUrl: string;
  inferenceUrl: string;
  close: () => Promise<void>;
};

/** The facilitator and inference servers on loopback, wired to the test devnet. */
export async function startTestServers(
  devnet: TestDevnet,
  options: Pick<FacilitatorServerOptions, "batch" | "onBatchPosted"> = {},
): Promise<TestServers> {
  const facilitator = testFacilitatorOf(devnet, options);
  const facilitatorServed = await serveOnLoopback(facilitator.app.fetch);
  const inference = createInferenceServer({
    facilitatorUrl: facilitatorServed.url,
    payTo: PAYEE.address,
    tees: [devnet.tee],
  });
  const inferenceServed = await serveOnLoopback(inference.app.fetch);
  return {
    facilitator,
    facilitatorUrl: facilitatorServed.url,
    inferenceUrl: inferenceServed.url,
    async close() {
      await inferenceServed.close();
      await facilitator.close();
      await facilitatorServed.close();
    },
  };
}

/** A made-up payment id, never paid on "base". */
export function unpaidPaymentIdOf(label: string): Hex {
  return keccak256(stringToHex(`unpaid ${label}`));
}
