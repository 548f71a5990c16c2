#!/usr/bin/env node
// `npm start`: the whole product on loopback — devnet (chains, contracts, live x402 traffic), the indexer with the
// GraphQL API on the embedded database, and the explorer — with one progress line per few seconds. Ctrl-C stops
// everything.
import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");
const DEPLOYMENT = join(ROOT, "devnet", "deployment.json");
const PROFILE = join(ROOT, "devnet", "profile.json");
const INDEXER_PORT = Number(process.env.PORT ?? 42069);
const children = [];

// Ponder exits with 75 (EX_TEMPFAIL) when a chain's RPC stays unreachable past its retries; it resumes from its
// checkpoint when restarted, so that one exit code means "restart me".
const TEMPFAIL_EXIT = 75;

function start(name, cmd, args, options = {}, restartOnTempfail = false) {
  const child = spawn(cmd, args, { stdio: ["ignore", "inherit", "inherit"], detached: true, ...options });
  child.on("exit", (code, signal) => {
    if (stopping) return;
    if (restartOnTempfail && code === TEMPFAIL_EXIT) {
      console.error(`[start] ${name} lost an RPC for too long (exit ${code}); restarting it in 2 s.`);
      children.splice(children.indexOf(child), 1);
      setTimeout(() => stopping || start(name, cmd, args, options, true), 2000);
      return;
    }
    console.error(`[start] ${name} exited (${code ?? signal}); stopping everything.`);
    stop(1);
  });
  children.push(child);
  return child;
}

let stopping = false;
const exitOf = (child) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once("exit", r));
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  // Newest first, so the indexer stops before its chains. The devnet gets SIGTERM alone (not its process group),
  // so its facilitator posts the proofs it holds before it stops anvil; a group kill follows if it lingers.
  for (const child of [...children].reverse()) {
    try {
      process.kill(child === devnet ? child.pid : -child.pid, "SIGTERM");
    } catch {}
    await Promise.race([exitOf(child), new Promise((r) => setTimeout(r, 15_000))]);
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {}
  }
  process.exit(code);
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

const waitFor = async (check, what, timeoutMs = 120_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`[start] ${what} did not come up within ${timeoutMs / 1000} s.`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

// The devnet is new on every start, so its old deployment and the indexer's old database describe chains that
// no longer exist.
rmSync(DEPLOYMENT, { force: true });
rmSync(PROFILE, { force: true });
rmSync(join(ROOT, "indexer", ".ponder"), { recursive: true, force: true });

// tsx directly (not through pnpm), so SIGTERM reaches the devnet process itself.
const devnet = start("devnet", "tsx", ["src/cli.ts", "start"], { cwd: join(ROOT, "devnet") });
// The indexer reads the devnet's network profile (SETTLESCAN_NETWORK defaults to it), written last.
await waitFor(() => existsSync(DEPLOYMENT) && existsSync(PROFILE), "The devnet");

start(
  "indexer",
  // Ponder's own binary (not through pnpm), so its exit code reaches the supervisor unchanged.
  join(ROOT, "indexer", "node_modules", ".bin", "ponder"),
  ["start", "--schema", process.env.DATABASE_SCHEMA ?? "settlescan", "--port", String(INDEXER_PORT)],
  {
    cwd: join(ROOT, "indexer"),
    env: {
      ...process.env,
      PONDER_TELEMETRY_DISABLED: "true",
      PONDER_LOG_LEVEL: process.env.PONDER_LOG_LEVEL ?? "warn",
    },
  },
  true,
);
const indexer = `http://127.0.0.1:${INDEXER_PORT}`;
await waitFor(async () => (await fetch(`${indexer}/ready`).catch(() => null))?.ok, "The indexer", 180_000);
console.log(`[start] indexer ready: GraphQL API ${indexer}/graphql (also ${indexer}/progress, ${indexer}/integrity)`);

// The explorer: built once, then served on WEB_PORT, forwarding /graphql and /export to the indexer's API.
const WEB_PORT = Number(process.env.WEB_PORT ?? 5173);
start("explorer", "pnpm", ["--filter", "@settlescan/web", "serve"], {
  env: { ...process.env, PORT: String(INDEXER_PORT), WEB_PORT: String(WEB_PORT) },
});
await waitFor(
  async () => (await fetch(`http://127.0.0.1:${WEB_PORT}/`).catch(() => null))?.ok,
  "The explorer",
  180_000,
);
console.log(`[start] explorer: http://127.0.0.1:${WEB_PORT}`);

// Progress: indexed block / head per chain, and receipts per second.
const deployment = JSON.parse((await import("node:fs")).readFileSync(DEPLOYMENT, "utf8"));
const headOf = async (rpcUrl) => {
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] });
  const res = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body });
  return Number((await res.json()).result);
};
let last = { inferences: 0, at: Date.now() };
setInterval(async () => {
  try {
    const progress = await (await fetch(`${indexer}/progress`)).json();
    const chains = await Promise.all(
      Object.entries(deployment.chains).map(async ([name, chain]) => {
        const head = await headOf(chain.rpcUrl);
        return `${name} ${progress.chains[name]?.blockNumber ?? 0}/${head}`;
      }),
    );
    const now = Date.now();
    const inferences = progress.inferences ?? 0;
    const rate = ((inferences - last.inferences) * 1000) / (now - last.at);
    last = { inferences, at: now };
    console.log(
      `[indexer] ${chains.join(" · ")} · inferences ${inferences} (${rate.toFixed(1)}/s) · receipts ${progress.receipts}`,
    );
  } catch {
    // A poll that fails (indexer restarting) is simply skipped.
  }
}, 5000);
