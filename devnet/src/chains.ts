import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createPublicClient, defineChain, http } from "viem";
import { DevnetError } from "./errors";

/** Chain ids of the devnet (docs/protocol.md): Base mainnet's, and the OpenGradient network's (10740 since 2026-01-27). */
export const BASE_CHAIN_ID = 8453;
export const OG_CHAIN_ID = 10740;

export type AnvilOptions = {
  name: string;
  chainId: number;
  port: number;
  /** Seconds between blocks; 0 for automine, "manual" for `--no-mining` (bulk scenarios call `evm_mine`). */
  blockTime?: number | "manual";
  /** Genesis timestamp in seconds, so scenarios get the same chain time on every run. */
  timestamp?: bigint;
  host?: string;
};

export type Anvil = { name: string; chainId: number; rpcUrl: string; process: ChildProcess; stop: () => Promise<void> };

/** Path of the anvil binary shipped in @foundry-rs/anvil's platform package (the npm bin is a wrapper process). */
export function anvilBinaryPath(): string {
  const require = createRequire(import.meta.url);
  const wrapper = dirname(require.resolve("@foundry-rs/anvil/package.json"));
  const platformPackage = `@foundry-rs/anvil-${process.platform}-${process.arch === "x64" ? "amd64" : process.arch}`;
  return join(
    dirname(createRequire(join(wrapper, "package.json")).resolve(`${platformPackage}/package.json`)),
    "bin",
    "anvil",
  );
}

/** A viem chain for a devnet node. */
export function devnetChainOf({ name, chainId, rpcUrl }: { name: string; chainId: number; rpcUrl: string }) {
  return defineChain({
    id: chainId,
    name,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

/**
 * Starts an anvil node on loopback and resolves once it answers JSON-RPC.
 * @example const base = await startAnvil({ name: "base", chainId: 8453, port: 8545, blockTime: 1 })
 */
export async function startAnvil({ name, chainId, port, blockTime = 0, timestamp, host = "127.0.0.1" }: AnvilOptions) {
  const args = ["--host", host, "--port", String(port), "--chain-id", String(chainId), "--silent", "--accounts", "13"];
  // Bulk scenarios put thousands of transactions in one block.
  args.push("--gas-limit", "1000000000000", "--code-size-limit", "100000");
  if (blockTime === "manual") args.push("--no-mining");
  else if (blockTime > 0) args.push("--block-time", String(blockTime));
  if (timestamp !== undefined) args.push("--timestamp", timestamp.toString());

  if (await isListening(host, port))
    throw new DevnetError(`Port ${port} on ${host} is already in use, so anvil "${name}" cannot listen there.`, {
      details: "Stop the other devnet (or whatever holds the port), or choose ports with BASE_RPC_PORT / OG_RPC_PORT.",
    });
  const child = spawn(anvilBinaryPath(), args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const rpcUrl = `http://${host}:${port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) =>
      reject(
        new DevnetError(`anvil "${name}" exited with code ${code} before answering on ${rpcUrl}.`, {
          details: stderr.trim() || `Is port ${port} already in use? Set another port.`,
        }),
      ),
    ),
  );
  await Promise.race([waitForRpc(rpcUrl, chainId), exited]);

  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return { name, chainId, rpcUrl, process: child, stop } satisfies Anvil;
}

async function waitForRpc(rpcUrl: string, chainId: number, timeoutMs = 15_000) {
  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 0 }) });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const id = await client.getChainId();
      if (id !== chainId)
        throw new DevnetError(
          `The node on ${rpcUrl} has chain id ${id}, expected ${chainId}: another node holds the port.`,
        );
      return;
    } catch (error) {
      if (error instanceof DevnetError) throw error;
      if (Date.now() > deadline)
        throw new DevnetError(`anvil on ${rpcUrl} did not answer within ${timeoutMs} ms.`, { cause: error });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** True when something accepts TCP connections on host:port. */
async function isListening(host: string, port: number): Promise<boolean> {
  const { connect } = await import("node:net");
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** A free loopback TCP port (for tests that start their own nodes). */
export async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
