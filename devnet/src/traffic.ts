import { OPG_ADDRESS_BASE, opgAbi, teeRegistryAbi } from "@settlescan/abis";
import { type Address, createPublicClient, type Hex, http, type LocalAccount } from "viem";
import { readContract, waitForTransactionReceipt, writeContract } from "viem/actions";
import { CLIENTS, DEPLOYER, EXACT_FACILITATOR, FACILITATOR, PAYEE, UNOFFICIAL_POSTER } from "./accounts";
import { devnetChainOf } from "./chains";
import type { Deployment } from "./deployment";
import { DevnetError } from "./errors";
import { createGateway, type GatewaySession } from "./gateway/gateway";
import { SessionSettlementError } from "./gateway/sessions";
import { loadTees, type TeeKeyName } from "./tees";
import { chainClientOf } from "./x402/chainClient";
import type { PostedSettlement } from "./x402/dataWorker";
import { createFacilitatorServer } from "./x402/facilitatorServer";
import type { BatchThresholds } from "./x402/proofBatcher";
import { serialQueue } from "./x402/serialQueue";
import { serveOnLoopback } from "./x402/serve";
import { ensureOpgApprovals, TRAFFIC_KINDS, type TrafficKind, trafficActionsOf } from "./x402/trafficActions";
import { DEFAULT_PRICE } from "./x402/usdc";

export { TRAFFIC_KINDS, type TrafficKind } from "./x402/trafficActions";

/**
 * Relative weight of each kind in live traffic: mostly OPG `upto` sessions as on the real network (batched, some
 * individual), some USDC per request (batched, individual, exact-link), a few OPG `exact` over Permit2 and
 * gas-sponsored payers, rare cancelled nonces; every proof failure a few percent. `private` and `never_settled` show
 * up as payments awaiting proof / overdue.
 */
export const DEFAULT_RATES: Record<TrafficKind, number> = {
  session_batch: 45,
  session_individual: 8,
  opg_exact: 4,
  sponsored_eip2612: 1,
  sponsored_erc20: 1,
  cancelled_nonce: 0.5,
  proven_batch: 15,
  proven_individual: 4,
  proven_exact: 8,
  private: 3,
  never_settled: 3,
  unpaid: 2,
  underpaid: 2,
  bad_signature: 2,
  mismatched: 2,
  disabled_tee: 2,
  revoked_pcr: 1,
  unregistered_tee: 2,
  duplicate: 3,
  unofficial: 3,
  withheld: 2,
  expired: 1,
  legacy: 2,
};

/** The live devnet's batch thresholds: small, so the explorer fills within seconds (OpenGradient: 20 / 5 min / 15 min). */
export const LIVE_BATCH: Required<BatchThresholds> = { size: 20, idleMs: 3_000, maxAgeMs: 10_000 };

/**
 * The live gateway's sessions: short, so OPG settlements show within seconds (OpenGradient: 100 s idle). Both stay
 * within the profile's window (`DEVNET_SESSION_SECONDS`), so session links hold.
 */
export const LIVE_SESSION_SECONDS = { idle: 8, max: 60 } as const;

/** Enclaves the deploy registers that stay honest and enabled: the gateway runs them. */
export const LIVE_TEE_NAMES = ["tee-alpha", "tee-beta", "tee-gamma"] as const satisfies readonly TeeKeyName[];

export type TrafficOptions = {
  deployment: Deployment;
  /** Relative weights per kind (missing kinds take their default; 0 turns a kind off). */
  rates?: Partial<Record<TrafficKind, number>>;
  /** Requests started per second across all clients. */
  requestsPerSecond?: number;
  /** Requests in flight at most; further ticks are skipped while it is reached. */
  concurrency?: number;
  /** Paying accounts, used round-robin (funded with USDC by the deploy). */
  clients?: readonly LocalAccount[];
  /** Share of settled proofs sent individually rather than batched, where the kind allows both. */
  individualShare?: number;
  /** Both facilitators' batch thresholds. */
  batch?: BatchThresholds;
  /** Milliseconds a `withheld` blob stays unfetchable. */
  releaseAfterMs?: number;
  /** The gateway's session idle and maximum seconds. */
  sessionSeconds?: { idle: number; max: number };
  /** Loopback ports (0 = any free port); the gateway's should be the endpoint the enclaves registered. */
  ports?: { facilitator?: number; exactFacilitator?: number; gateway?: number };
  progressIntervalMs?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
  random?: () => number;
};

export type TrafficStats = {
  counts: Record<TrafficKind, number>;
  errors: number;
  /** Settlement transactions mined, by kind (v1 ones included). */
  batches: number;
  individual: number;
  /** OPG `upto` sessions closed: settled (one Base transaction each), empty (none), failed (e.g. cancelled nonce). */
  sessions: { settled: number; empty: number; failed: number };
  elapsedMs: number;
};

export type Traffic = {
  facilitatorUrl: string;
  exactFacilitatorUrl: string;
  gatewayUrl: string;
  stats: () => TrafficStats;
  /** Every settlement the facilitators saw mined, in order. */
  settlements: readonly PostedSettlement[];
  /** Every payment session the gateway closed, in order. */
  sessions: readonly GatewaySession[];
  /** Resolves once traffic has stopped (signal aborted), in-flight requests finished and batches posted. */
  done: Promise<TrafficStats>;
};

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

function weightedPick(weights: Record<TrafficKind, number>, random: () => number): TrafficKind {
  const total = TRAFFIC_KINDS.reduce((sum, kind) => sum + weights[kind], 0);
  let x = random() * total;
  for (const kind of TRAFFIC_KINDS) {
    x -= weights[kind];
    if (x < 0) return kind;
  }
  return "proven_batch";
}

/** One progress line: the rate over the last window and totals per kind. */
export function progressLineOf(stats: TrafficStats, perSecond: number): string {
  const counts = TRAFFIC_KINDS.filter((kind) => stats.counts[kind] > 0)
    .map((kind) => `${kind} ${stats.counts[kind]}`)
    .join(" · ");
  const { settled, empty, failed } = stats.sessions;
  return `traffic: ${perSecond.toFixed(1)} inferences/s · ${counts || "none yet"} · batches ${stats.batches} · individual ${stats.individual} · OPG sessions settled ${settled}, empty ${empty}, failed ${failed} · errors ${stats.errors}`;
}

/**
 * Starts the devnet's facilitator, exact-link facilitator and TEE gateway on loopback and keeps sending paid
 * completions from the client accounts through the real HTTP stack, producing every inference, settlement and blob
 * state at the given rates. Resolves once the servers listen; traffic runs until `signal` aborts (see `done`).
 * @example
 * const traffic = await startTraffic({ deployment, signal: controller.signal, log: console.log })
 * controller.abort(); await traffic.done
 */
export async function startTraffic({
  deployment,
  rates = {},
  requestsPerSecond = 4,
  concurrency = 8,
  clients = CLIENTS,
  individualShare = 0.25,
  batch = LIVE_BATCH,
  releaseAfterMs = 10_000,
  sessionSeconds = LIVE_SESSION_SECONDS,
  ports = {},
  progressIntervalMs = 5_000,
  signal,
  log = (line) => console.log(`[devnet] ${line}`),
  random = Math.random,
}: TrafficOptions): Promise<Traffic> {
  const weights = { ...DEFAULT_RATES, ...rates };
  for (const kind of TRAFFIC_KINDS)
    if (!(weights[kind] >= 0)) throw new RangeError(`Rate of "${kind}" is ${weights[kind]}; expected a number ≥ 0.`);
  if (TRAFFIC_KINDS.every((kind) => weights[kind] === 0))
    throw new RangeError("Every traffic rate is 0; nothing to send.");
  if (!(requestsPerSecond > 0)) throw new RangeError(`requestsPerSecond is ${requestsPerSecond}; expected > 0.`);
  if (clients.length === 0) throw new RangeError("Traffic needs at least one client account; got none.");

  const stats: TrafficStats = {
    counts: Object.fromEntries(TRAFFIC_KINDS.map((k) => [k, 0])) as Record<TrafficKind, number>,
    errors: 0,
    batches: 0,
    individual: 0,
    sessions: { settled: 0, empty: 0, failed: 0 },
    elapsedMs: 0,
  };
  const settlements: PostedSettlement[] = [];
  const sessions: GatewaySession[] = [];
  const started = performance.now();
  const snapshot = (): TrafficStats => ({
    ...stats,
    counts: { ...stats.counts },
    sessions: { ...stats.sessions },
    elapsedMs: Math.round(performance.now() - started),
  });
  let lastError = "";
  const reportError = (error: unknown) => {
    stats.errors++;
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    if (message !== lastError) log(`traffic error: ${message}`);
    lastError = message;
  };
  const onSettlement = (settlement: PostedSettlement) => {
    settlements.push(settlement);
    stats[settlement.kind === "batch" ? "batches" : "individual"]++;
  };

  const tees = await loadTees();
  const deployed = new Map(deployment.tees.map((tee) => [tee.name, tee]));
  const live = LIVE_TEE_NAMES.filter((name) => deployed.get(name)?.enabled).map((name) => tees[name]);
  if (live.length === 0)
    throw new DevnetError(`None of ${LIVE_TEE_NAMES.join(", ")} is registered and enabled in the deployment.`);
  const admin = chainClientOf(deployment, "og", DEPLOYER);
  // Payers approve Permit2 once, as OpenGradient's SDK does before paying in OPG.
  await ensureOpgApprovals(clients.map((client) => chainClientOf(deployment, "base", client)));
  const baseAdmin = chainClientOf(deployment, "base", DEPLOYER);
  const mintSend = serialQueue();
  const registry = deployment.contracts.teeRegistry.address;
  await disableForFaults(admin, registry, tees["tee-disabled"].teeId);

  const og = { relay: deployment.contracts.relay.address, walrus: deployment.walrus, batch, releaseAfterMs };
  const facilitator = createFacilitatorServer({
    ...og,
    baseClient: chainClientOf(deployment, "base", FACILITATOR),
    ogClient: chainClientOf(deployment, "og", FACILITATOR),
    unofficialClient: chainClientOf(deployment, "og", UNOFFICIAL_POSTER),
    legacyRelay: deployment.contracts.legacyRelay.address,
    onSettlement,
    onError: reportError,
  });
  const exactFacilitator = createFacilitatorServer({
    ...og,
    // No unofficial poster here: two posters of one account would race for its nonces.
    ogClient: chainClientOf(deployment, "og", EXACT_FACILITATOR),
    link: "exact",
    onSettlement,
    onError: reportError,
  });
  const [facilitatorServed, exactServed] = await Promise.all([
    serveOnLoopback(facilitator.app.fetch, { port: ports.facilitator ?? 0 }),
    serveOnLoopback(exactFacilitator.app.fetch, { port: ports.exactFacilitator ?? 0 }),
  ]);
  const gateway = createGateway({
    facilitatorUrl: facilitatorServed.url,
    exactFacilitatorUrl: exactServed.url,
    payTo: PAYEE.address,
    tees: live,
    faultTees: { unregistered: tees["tee-unregistered"], disabled: tees["tee-disabled"] },
    price: DEFAULT_PRICE,
    // Both sponsoring paths, so live traffic shows both (the real gateway declares the ERC-20-approval one).
    gasSponsoring: ["erc20Approval", "eip2612"],
    sessionIdleSeconds: sessionSeconds.idle,
    sessionMaxSeconds: sessionSeconds.max,
    onSessionClosed: (session) => {
      sessions.push(session);
      stats.sessions[session.status === "settled" ? "settled" : session.status === "empty" ? "empty" : "failed"]++;
    },
    // A failed session (a payer cancelled its nonce) is counted above, not as a traffic error.
    onError: (error) => (error instanceof SessionSettlementError ? undefined : reportError(error)),
  });
  const gatewayServed = await serveOnLoopback(gateway.app.fetch, { port: ports.gateway ?? 0 });
  log(
    `facilitator at ${facilitatorServed.url}, exact-link facilitator at ${exactServed.url}, TEE gateway at ${gatewayServed.url}/v1/chat/completions`,
  );

  const act = trafficActionsOf({
    gatewayUrl: gatewayServed.url,
    facilitatorUrl: facilitatorServed.url,
    registry: { address: registry, admin },
    registration: { paymentAddress: PAYEE.address, endpoint: gatewayServed.url },
    addTee: gateway.addTee,
    individualShare,
    random,
    base: {
      reader: createPublicClient({
        chain: devnetChainOf({ name: "base", ...deployment.chains.base }),
        transport: http(deployment.chains.base.rpcUrl),
      }),
      walletOf: (account) => chainClientOf(deployment, "base", account),
      mintOpg: async (to, amount) => {
        const hash = await mintSend(() =>
          writeContract(baseAdmin, {
            address: OPG_ADDRESS_BASE,
            abi: opgAbi,
            functionName: "mint",
            args: [to, amount],
            account: baseAdmin.account,
            chain: baseAdmin.chain,
          }),
        );
        const receipt = await waitForTransactionReceipt(baseAdmin, { hash });
        if (receipt.status !== "success") throw new DevnetError(`OPG.mint to ${to} (tx ${hash}) reverted.`);
      },
    },
    payerSeed: `traffic ${deployment.chains.base.startBlock} ${Date.now()}`,
  });

  async function run(): Promise<TrafficStats> {
    const inFlight = new Set<Promise<void>>();
    let next = 0;
    let windowCount = 0;
    let windowStart = performance.now();
    const progress = setInterval(() => {
      const now = performance.now();
      log(progressLineOf(snapshot(), (windowCount * 1000) / Math.max(1, now - windowStart)));
      windowCount = 0;
      windowStart = now;
    }, progressIntervalMs);

    try {
      while (!signal?.aborted) {
        if (inFlight.size < concurrency) {
          const kind = weightedPick(weights, random);
          const client = clients[next++ % clients.length] as LocalAccount;
          const job = act(kind, client)
            .then(() => {
              stats.counts[kind]++;
              windowCount++;
            }, reportError)
            .finally(() => inFlight.delete(job));
          inFlight.add(job);
        }
        await sleep(1000 / requestsPerSecond, signal);
      }
      await Promise.allSettled([...inFlight]);
    } finally {
      clearInterval(progress);
      await gatewayServed.close();
      // Open sessions settle now: their inferences are paid before the facilitators stop.
      await gateway.close().catch(reportError);
      await Promise.all([facilitator.close(), exactFacilitator.close()]).catch(reportError);
      await Promise.all([facilitatorServed.close(), exactServed.close()]);
    }
    const final = snapshot();
    const total = TRAFFIC_KINDS.reduce((n, k) => n + final.counts[k], 0);
    log(`${progressLineOf(final, (total * 1000) / Math.max(1, final.elapsedMs))} (stopped)`);
    return final;
  }

  return {
    facilitatorUrl: facilitatorServed.url,
    exactFacilitatorUrl: exactServed.url,
    gatewayUrl: gatewayServed.url,
    stats: snapshot,
    settlements,
    sessions,
    done: run(),
  };
}

/** Disables the enclave behind the `disabled_tee` fault (DEPLOYER is the registry's admin), unless it already is. */
async function disableForFaults(admin: ReturnType<typeof chainClientOf>, registry: Address, teeId: Hex) {
  const enabled = await readContract(admin, {
    address: registry,
    abi: teeRegistryAbi,
    functionName: "isTEEEnabled",
    args: [teeId],
  });
  if (!enabled) return;
  const hash = await writeContract(admin, {
    address: registry,
    abi: teeRegistryAbi,
    functionName: "disableTEE",
    args: [teeId],
    account: admin.account,
    chain: admin.chain,
  });
  const receipt = await waitForTransactionReceipt(admin, { hash });
  if (receipt.status !== "success") throw new DevnetError(`TEERegistry.disableTEE(${teeId}) (tx ${hash}) reverted.`);
}

/**
 * Runs live traffic until `signal` aborts and resolves with the final counts.
 * @example await runTraffic({ deployment, rates: { duplicate: 0 }, signal })
 */
export async function runTraffic(options: TrafficOptions): Promise<TrafficStats> {
  return (await startTraffic(options)).done;
}
