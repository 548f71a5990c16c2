// What `npm start` (scripts/start.mjs) and `npm run serve` (scripts/serve.mjs) share: supervised child processes,
// the indexer with its mounted GraphQL API, the explorer, and the progress line.
import { spawn } from "node:child_process";
import { delimiter, join } from "node:path";

export const ROOT = join(import.meta.dirname, "..");

/** The workspace's own binaries, the pinned Node 22 first: Ponder refuses older ones, whatever started this script. */
const BIN = join(ROOT, "node_modules", ".bin");

/**
 * Ponder exits with 75 (EX_TEMPFAIL) when a chain's RPC stays unreachable past its retries; it resumes from its
 * checkpoint when restarted, so that one exit code means "restart me".
 */
export const TEMPFAIL_EXIT = 75;

/** Resolves once `check()` is truthy; throws a sentence naming `what` after `timeoutMs`. */
export async function waitFor(check, what, { label, timeoutMs = 120_000 }) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`[${label}] ${what} did not come up within ${timeoutMs / 1000} s.`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Child processes that live and die together: when one exits, all stop (newest first), except that a child started
 * with `restartOnTempfail` is restarted after exit code 75. SIGINT and SIGTERM stop everything.
 * @example const services = supervise("serve"); services.start("indexer", "ponder", ["start"]);
 */
export function supervise(label) {
  const children = [];
  let stopping = false;
  const exitOf = (child) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise((r) => child.once("exit", r));

  function start(name, cmd, args, { restartOnTempfail = false, signalGroup = true, ...options } = {}) {
    const env = options.env ?? process.env;
    const child = spawn(cmd, args, {
      stdio: ["ignore", "inherit", "inherit"],
      detached: true,
      ...options,
      env: { ...env, PATH: `${BIN}${delimiter}${env.PATH ?? ""}` },
    });
    child.signalGroup = signalGroup;
    child.on("exit", (code, signal) => {
      if (stopping) return;
      if (restartOnTempfail && code === TEMPFAIL_EXIT) {
        console.error(`[${label}] ${name} lost a source for too long (exit ${code}); restarting it in 2 s.`);
        children.splice(children.indexOf(child), 1);
        setTimeout(() => stopping || start(name, cmd, args, { restartOnTempfail, signalGroup, ...options }), 2000);
        return;
      }
      console.error(`[${label}] ${name} exited (${code ?? signal}); stopping everything.`);
      stop(1);
    });
    children.push(child);
    return child;
  }

  async function stop(code = 0) {
    if (stopping) return;
    stopping = true;
    // Newest first, so the indexer stops before its chains. A child started with `signalGroup: false` (the devnet)
    // gets SIGTERM alone, so it can finish its own shutdown; a group kill follows if it lingers.
    for (const child of [...children].reverse()) {
      try {
        process.kill(child.signalGroup ? -child.pid : child.pid, "SIGTERM");
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
  return { start, stop };
}

/**
 * Starts the indexer (`ponder start`, its GraphQL API mounted at /graphql) on `port`, restarted on exit code 75, and
 * resolves with its URL once `/ready` answers (the backfill is done) — or, with `untilReady: false`, once it listens
 * (`/health`), logging readiness when it comes. `viewsSchema` publishes views for the standalone API once ready (with
 * PostgreSQL); `env` adds to the process environment.
 */
export async function startIndexer(services, { label, port, schema, viewsSchema, env = {}, untilReady = true }) {
  services.start(
    "indexer",
    // Ponder's own binary (not through pnpm), so its exit code reaches the supervisor unchanged.
    join(ROOT, "indexer", "node_modules", ".bin", "ponder"),
    ["start", "--schema", schema, ...(viewsSchema ? ["--views-schema", viewsSchema] : []), "--port", String(port)],
    {
      cwd: join(ROOT, "indexer"),
      env: {
        ...process.env,
        PONDER_TELEMETRY_DISABLED: "true",
        PONDER_LOG_LEVEL: process.env.PONDER_LOG_LEVEL ?? "warn",
        ...env,
      },
      restartOnTempfail: true,
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const answers = (path) => async () => (await fetch(`${url}${path}`).catch(() => null))?.ok;
  const announce = () =>
    console.log(`[${label}] indexer ready: GraphQL API ${url}/graphql (also ${url}/progress, ${url}/integrity)`);
  if (untilReady) {
    await waitFor(answers("/ready"), "The indexer", { label, timeoutMs: 180_000 });
    announce();
    return url;
  }
  // Before it listens, the indexer checks its sources and may search for start blocks (once): minutes, on a slow RPC.
  await waitFor(answers("/health"), "The indexer", { label, timeoutMs: 900_000 });
  console.log(
    `[${label}] indexer started: GraphQL API ${url}/graphql; ${url}/ready answers 200 once the backfill is done`,
  );
  // A backfill of the live networks takes hours: no deadline for it.
  waitFor(answers("/ready"), "The indexer's backfill", { label, timeoutMs: Number.POSITIVE_INFINITY }).then(announce);
  return url;
}

/**
 * Builds the explorer (`web/`) into `outDir` and serves it on `port` with its production server, forwarding /graphql, /export and /blob to
 * `apiUrl`; resolves with its URL once its page answers. `env` adds to the environment of both (the build reads
 * `SETTLESCAN_NETWORK`: the profile the /verify page offers).
 */
export async function startExplorer(services, { label, apiUrl, port, outDir = join(ROOT, "web", "dist"), env = {} }) {
  const vite = join(ROOT, "web", "node_modules", ".bin", "vite");
  const viteEnv = { ...process.env, ...env, SETTLESCAN_API_URL: apiUrl, WEB_PORT: String(port) };
  const build = services.start(
    "explorer build",
    vite,
    ["build", "--logLevel", "warn", "--outDir", outDir, "--emptyOutDir"],
    {
      cwd: join(ROOT, "web"),
      env: viteEnv,
    },
  );
  // The build's exit is expected: it leaves the supervision before the explorer's server starts.
  build.removeAllListeners("exit");
  const code = await new Promise((resolve) => build.once("exit", (c, signal) => resolve(c ?? signal)));
  if (code !== 0) {
    // A build stopped by Ctrl-C ends the same way: either way nothing more starts, and `stop` exits the process.
    console.error(`[${label}] The explorer's build ended (${code}); stopping everything.`);
    await services.stop(1);
    await new Promise(() => {});
  }
  // The production server the container runs (web/server/serveStatic.ts), on the Node 22 that runs this script.
  services.start("explorer", process.execPath, [join(ROOT, "web", "server", "serveStatic.ts")], {
    cwd: join(ROOT, "web"),
    env: { ...viteEnv, WEB_OUT_DIR: outDir },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/`).catch(() => null))?.ok, "The explorer", {
    label,
    timeoutMs: 180_000,
  });
  console.log(`[${label}] explorer: ${url}`);
  return url;
}

/** The latest block of the chain at `rpcUrl`. */
async function headOf(rpcUrl) {
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] });
  const res = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body });
  return Number((await res.json()).result);
}

/** Every few seconds, one line: indexed block / head per chain (`rpcUrls` by Ponder's chain name), inferences per second. */
export function reportProgress({ indexerUrl, rpcUrls, everyMs = 5000 }) {
  let last = { inferences: 0, at: Date.now() };
  return setInterval(async () => {
    try {
      const progress = await (await fetch(`${indexerUrl}/progress`)).json();
      const chains = await Promise.all(
        Object.entries(rpcUrls).map(async ([name, rpcUrl]) => {
          const head = await headOf(rpcUrl);
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
      // A poll that fails (indexer restarting, an RPC slow to answer) is simply skipped.
    }
  }, everyMs);
}
