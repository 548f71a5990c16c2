// `npm run serve` (scripts/serve.mjs) run offline: against a devnet's profile file, as against the live networks.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@settlescan/devnet/chains";
import { type Devnet, startDevnet } from "@settlescan/devnet/devnet";
import { devnetProfileOf, writeProfile } from "@settlescan/devnet/profile";
import { afterAll, beforeAll, expect, test } from "vitest";

const ROOT = new URL("../..", import.meta.url).pathname;
const SERVE = join(ROOT, "scripts", "serve.mjs");

/** The environment without the variables a profile reads, so the machine's own settings cannot leak in. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ["BASE_RPC_URL", "OG_RPC_URL", "WALRUS_AGGREGATOR_URL", "SETTLESCAN_NETWORK", "DATABASE_URL"])
    delete env[name];
  return { ...env, ...extra };
}

/** Runs serve.mjs to its end; resolves with its exit code and output. */
function runToExit(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [SERVE, ...args], { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

let devnet: Devnet | undefined;
let serve: ChildProcess | undefined;
let output = "";

beforeAll(async () => {
  devnet = await startDevnet({ ports: "free" });
});

afterAll(async () => {
  if (serve?.pid && serve.exitCode === null) {
    const exited = new Promise((resolve) => serve?.once("exit", resolve));
    process.kill(serve.pid, "SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
    try {
      process.kill(-serve.pid, "SIGKILL");
    } catch {}
  }
  await devnet?.stop();
});

test("args: --network opengradient without RPC URLs", async () => {
  const { code, stdout, stderr } = await runToExit(["--network", "opengradient"], cleanEnv());
  expect(code).toBe(2);
  expect(stdout).toBe("");
  expect(stderr.trim()).toMatchInlineSnapshot(
    `"The opengradient profile has no RPC URL for the payment chain (8453) or the verification chain (10740): set BASE_RPC_URL and OG_RPC_URL."`,
  );
});

test("args: a profile file that does not exist", async () => {
  const { code, stderr } = await runToExit(["--network", "/nonexistent/profile.json"], cleanEnv());
  expect(code).toBe(2);
  expect(stderr.trim()).toMatchInlineSnapshot(
    `"No profile at /nonexistent/profile.json: set SETTLESCAN_NETWORK to a profile file or a built-in name (devnet, opengradient)."`,
  );
});

test("default: indexer, API and explorer against a profile file", async () => {
  if (!devnet) throw new Error("The devnet did not start.");
  const dir = mkdtempSync(join(tmpdir(), "settlescan-serve-"));
  const profilePath = join(dir, "profile.json");
  writeProfile(devnetProfileOf(devnet.deployment), profilePath);
  const [port, webPort] = [await freePort(), await freePort()];
  serve = spawn(process.execPath, [SERVE, "--network", profilePath], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: cleanEnv({
      PORT: String(port),
      WEB_PORT: String(webPort),
      PGLITE_DIRECTORY: join(dir, "pglite"),
      WEB_OUT_DIR: join(dir, "web"),
      DATABASE_SCHEMA: `settlescan_serve_${process.pid}`,
    }),
  });
  serve.stdout?.on("data", (d) => {
    output += d;
  });
  serve.stderr?.on("data", (d) => {
    output += d;
  });

  const indexer = `http://127.0.0.1:${port}`;
  const explorer = `http://127.0.0.1:${webPort}`;
  const deadline = Date.now() + 240_000;
  const answers = async (url: string) => (await fetch(url).catch(() => null))?.ok === true;
  while (!((await answers(`${indexer}/ready`)) && (await answers(`${explorer}/`)))) {
    if (serve.exitCode !== null) throw new Error(`serve.mjs exited (${serve.exitCode}):\n${output.slice(-4000)}`);
    if (Date.now() > deadline) throw new Error(`serve.mjs did not come up in time:\n${output.slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  const page = await (await fetch(`${explorer}/`)).text();
  expect(page).toContain('<div id="root">');
  // The explorer forwards /graphql to the API mounted in the indexer, which reads the devnet's chains.
  const response = await fetch(`${explorer}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ __typename }" }),
  });
  expect(await response.json()).toEqual({ data: { __typename: "Query" } });
  const status = (await (await fetch(`${indexer}/status`)).json()) as Record<string, { id: number }>;
  expect(Object.fromEntries(Object.entries(status).map(([name, chain]) => [name, chain.id]))).toEqual({
    base: 8453,
    og: 10740,
  });
  // serve.mjs says where the explorer is once its own poll finds it answering: possibly after this test's poll did.
  for (const until = Date.now() + 30_000; !output.includes("[serve] explorer:") && Date.now() < until; )
    await new Promise((resolve) => setTimeout(resolve, 200));
  expect(output).toContain(`[serve] explorer: ${explorer}`);

  // Ctrl-C (SIGTERM here) stops the indexer and the explorer with it.
  const exited = new Promise<number | null>((resolve) => serve?.once("exit", resolve));
  process.kill(serve.pid as number, "SIGTERM");
  expect(await exited).toBe(0);
  expect(await answers(`${indexer}/health`)).toBe(false);
  expect(await answers(`${explorer}/`)).toBe(false);
});
