import type { LocalAccount } from "viem";
import { CLIENTS, DEPLOYER, FACILITATOR, PAYEE } from "./accounts";
import type { Deployment } from "./deployment";
import { type Enclave, loadTees } from "./tees";
import { chainClientOf } from "./x402/chainClient";
import { createFacilitatorServer } from "./x402/facilitatorServer";
import { createInferenceServer } from "./x402/inferenceServer";
import { serveOnLoopback } from "./x402/serve";
import { TRAFFIC_KINDS, type TrafficKind, trafficActionsOf } from "./x402/trafficActions";
import { DEFAULT_PRICE } from "./x402/usdc";

export { TRAFFIC_KINDS, type TrafficKind } from "./x402/trafficActions";

/**
 * Relative weight of each kind in live traffic: mostly verified receipts, every failure state a few percent.
 * `never_settled` and `private` show up as payments awaiting proof / overdue rather than as receipts.
 */
export const DEFAULT_RATES: Record<TrafficKind, number> = {
  verified: 70,
  private: 4,
  never_settled: 4,
  unpaid: 4,
  underpaid: 4,
  invalid_signature: 4,
  wrong_root: 3,
  revoked_tee: 2,
  duplicate: 5,
};

/** Enclaves registered by the deploy that stay active and honest (tee-revoked / tee-mismatch are scenario faults). */
export const LIVE_TEE_NAMES = ["tee-alpha", "tee-beta", "tee-gamma"] as const;

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
  /** Share of settlements posted individually rather than batched. */
  individualShare?: number;
  /** Facilitator batch thresholds: N leaves or T ms after a batch's first leaf. */
  batch?: { maxLeaves?: number; maxWaitMs?: number };
  /** Loopback ports of the facilitator and inference servers (0 = any free port). */
  ports?: { facilitator?: number; inference?: number };
  progressIntervalMs?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
  random?: () => number;
};

export type TrafficStats = {
  counts: Record<TrafficKind, number>;
  errors: number;
  batches: number;
  elapsedMs: number;
};

export type Traffic = {
  facilitatorUrl: string;
  inferenceUrl: string;
  stats: () => TrafficStats;
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
  return "verified";
}

/** One progress line: rate over the last window and totals per kind. */
export function progressLineOf(stats: TrafficStats, perSecond: number): string {
  const counts = TRAFFIC_KINDS.filter((kind) => stats.counts[kind] > 0)
    .map((kind) => `${kind} ${stats.counts[kind]}`)
    .join(" · ");
  return `traffic: ${perSecond.toFixed(1)} receipts/s · ${counts || "none yet"} · batches ${stats.batches} · errors ${stats.errors}`;
}

/**
 * Starts the x402 facilitator and inference servers on loopback and keeps sending paid inference requests from
 * the client accounts through the real HTTP stack, producing every receipt state at the given rates. Resolves
 * once the servers listen; traffic runs until `signal` aborts (see `done`).
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
  batch = { maxLeaves: 16, maxWaitMs: 5_000 },
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
    elapsedMs: 0,
  };
  const started = performance.now();
  const snapshot = (): TrafficStats => ({
    ...stats,
    counts: { ...stats.counts },
    elapsedMs: Math.round(performance.now() - started),
  });
  let lastError = "";
  const reportError = (error: unknown) => {
    stats.errors++;
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    if (message !== lastError) log(`traffic error: ${message}`);
    lastError = message;
  };

  const allTees = await loadTees();
  const active = new Set(deployment.tees.filter((t) => t.active).map((t) => t.name));
  const tees: Enclave[] = LIVE_TEE_NAMES.filter((name) => active.has(name)).map((name) => allTees[name]);
  if (tees.length === 0) throw new RangeError(`None of ${LIVE_TEE_NAMES.join(", ")} is active in the deployment.`);

  const facilitator = createFacilitatorServer({
    baseClient: chainClientOf(deployment, "base", FACILITATOR),
    ogClient: chainClientOf(deployment, "og", FACILITATOR),
    relay: deployment.contracts.settlementRelay.address,
    batch,
    onBatchPosted: () => void stats.batches++,
    onError: reportError,
  });
  const facilitatorServed = await serveOnLoopback(facilitator.app.fetch, { port: ports.facilitator ?? 0 });
  const inference = createInferenceServer({
    facilitatorUrl: facilitatorServed.url,
    payTo: PAYEE.address,
    tees,
    price: DEFAULT_PRICE,
    onError: reportError,
  });
  const inferenceServed = await serveOnLoopback(inference.app.fetch, { port: ports.inference ?? 0 });
  log(`x402 facilitator at ${facilitatorServed.url}, paid inference at ${inferenceServed.url}/v1/inference`);

  const act = trafficActionsOf({
    inferenceUrl: inferenceServed.url,
    facilitatorUrl: facilitatorServed.url,
    payTo: PAYEE.address,
    price: DEFAULT_PRICE,
    tees,
    registry: {
      address: deployment.contracts.teeRegistry.address,
      owner: chainClientOf(deployment, "og", DEPLOYER),
    },
    addTee: inference.addTee,
    individualShare,
    random,
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
      await inferenceServed.close();
      await facilitator.close().catch(reportError);
      await facilitatorServed.close();
    }
    const final = snapshot();
    const total = TRAFFIC_KINDS.reduce((n, k) => n + final.counts[k], 0);
    log(`${progressLineOf(final, (total * 1000) / Math.max(1, final.elapsedMs))} (stopped)`);
    return final;
  }

  return {
    facilitatorUrl: facilitatorServed.url,
    inferenceUrl: inferenceServed.url,
    stats: snapshot,
    done: run(),
  };
}

/**
 * Runs live traffic until `signal` aborts and resolves with the final counts.
 * @example await runTraffic({ deployment, rates: { duplicate: 0 }, signal })
 */
export async function runTraffic(options: TrafficOptions): Promise<TrafficStats> {
  return (await startTraffic(options)).done;
}
