import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { FACILITATOR, FACILITATOR_2, PAYEE } from "./accounts";
import { DEPLOYMENT_PATH, writeDeployment } from "./deployment";
import { attachedNodesOf, DEFAULT_PORTS, startDevnet } from "./devnet";
import { DEVNET_PROFILE_PATH, devnetProfileOf, writeProfile } from "./profile";
import { planScenario, SCENARIO_START_TIME } from "./scenarioPlan";
import { runScenario } from "./scenarioRun";
import { startTraffic } from "./traffic";

const USAGE = `Usage:
  devnet start                       chains + contracts + blob service + live x402 traffic (Ctrl-C to stop)
  devnet scenario --receipts N --seed S [--inferences M] [--sessions K] [--manifest FILE]
                                     chains + contracts + blob service + a seeded scenario (N exact-link
                                     receipts, M facilitator inferences, M = N by default, K OPG upto session
                                     payments, 0 by default), then keeps them up`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    receipts: { type: "string", default: "2000" },
    inferences: { type: "string" },
    sessions: { type: "string", default: "0" },
    seed: { type: "string", default: "settlescan" },
    manifest: { type: "string", default: new URL("../.data/manifest.json", import.meta.url).pathname },
    "block-time": { type: "string", default: "1" },
    "no-traffic": { type: "boolean", default: false },
    rps: { type: "string", default: process.env.TRAFFIC_RPS ?? "4" },
  },
});
const command = positionals[0];
const log = (line: string) => console.log(`[devnet] ${line}`);

if (command !== "start" && command !== "scenario") {
  console.error(USAGE);
  process.exit(2);
}

const started = performance.now();
const blockTime = Number(values["block-time"]);
const scenario = command === "scenario";
const devnet = await startDevnet({
  ports: DEFAULT_PORTS,
  attach: attachedNodesOf(),
  // Scenarios set chain time themselves; start them before it so their first round is in the future.
  timestamp: scenario ? BigInt(SCENARIO_START_TIME - 3600) : undefined,
  blockTime: scenario ? 0 : blockTime,
});
writeDeployment(devnet.deployment);
writeProfile(devnetProfileOf(devnet.deployment));
log(`base  chain ${devnet.base.chainId} at ${devnet.base.rpcUrl}`);
log(`og    chain ${devnet.og.chainId} at ${devnet.og.rpcUrl}`);
log(`walrus blob service at ${devnet.walrus.url}`);
log(
  `deployment written to ${DEPLOYMENT_PATH}, profile to ${DEVNET_PROFILE_PATH} (${Math.round(performance.now() - started)} ms)`,
);

/**
 * How long a stop waits for in-flight requests and held proofs. A Ctrl-C reaches anvil too, and then every wait on
 * a receipt would only end at its own timeout (minutes), so the wait is bounded.
 */
const SHUTDOWN_GRACE_MS = 10_000;

const controller = new AbortController();
let trafficDone: Promise<unknown> = Promise.resolve();
let stopping = false;
const shutdown = async () => {
  // A second signal stops at once.
  if (stopping) {
    await devnet.stop();
    process.exit(1);
  }
  stopping = true;
  controller.abort();
  // Let the facilitator post the proofs it still holds before the chains go away.
  await Promise.race([trafficDone, new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
  await devnet.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

if (scenario) {
  const plan = planScenario({
    seed: values.seed,
    receipts: Number(values.receipts),
    inferences: values.inferences === undefined ? undefined : Number(values.inferences),
    sessions: Number(values.sessions),
    payees: [PAYEE.address],
    facilitators: [FACILITATOR.address, FACILITATOR_2.address],
  });
  const manifest = await runScenario({
    deployment: devnet.deployment,
    plan,
    onRound: (_, done) =>
      process.stdout.write(
        `\r[devnet] scenario: ${done}/${plan.leaves.length + plan.inferences.length + plan.legacy.length} leaves`,
      ),
  });
  mkdirSync(dirname(values.manifest), { recursive: true });
  writeFileSync(values.manifest, `${JSON.stringify(manifest)}\n`);
  log(
    `\nscenario "${values.seed}": ${manifest.receipts.length} receipts, ${manifest.inferences.length} inferences, ${manifest.settlements.length} settlements, ${manifest.payments.length} payments (${manifest.payments.filter((p) => p.scheme === "permit2_upto").length} OPG sessions), ${manifest.inferences.filter((i) => i.link.kind === "session").length} session links; manifest at ${values.manifest}`,
  );
  if (blockTime > 0)
    for (const chain of [devnet.base, devnet.og])
      await fetch(chain.rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "evm_setIntervalMining", params: [blockTime] }),
      });
} else if (!values["no-traffic"]) {
  const traffic = await startTraffic({
    deployment: devnet.deployment,
    // The enclaves are registered with this endpoint: the gateway must listen there.
    ports: { gateway: devnet.gatewayPort },
    requestsPerSecond: Number(values.rps),
    signal: controller.signal,
    log,
  });
  trafficDone = traffic.done;
}
log("running; Ctrl-C to stop");
