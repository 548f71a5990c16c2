// Test helper: a real anvil node on a free loopback port, with one viem client that can read, write and cheat.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createTestClient, defineChain, http, publicActions, walletActions } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { BaseError } from "../src/errors";

/** Anvil's default mnemonic; its accounts are prefunded with 10,000 ETH. */
export const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";

/** Milliseconds to wait for anvil to listen (a cold start takes well under a second). */
const START_TIMEOUT_MS = 15_000;

/** Anvil could not be started; the cause is the environment (binary, ports), not the test. */
export class AnvilError extends BaseError {
  override name = "AnvilError";
}

/** Account `index` of anvil's default mnemonic. */
export const anvilAccount = (index: number) => mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: index });

/** Path of the anvil binary in @foundry-rs/anvil's platform package (the npm `anvil` bin is a wrapper process). */
export function anvilBinaryPath(): string {
  const anvilPackage = createRequire(import.meta.url).resolve("@foundry-rs/anvil/package.json");
  const platformPackage = `@foundry-rs/anvil-${process.platform}-${process.arch === "x64" ? "amd64" : process.arch}`;
  try {
    return createRequire(anvilPackage).resolve(`${platformPackage}/bin/anvil`);
  } catch (cause) {
    throw new AnvilError(`Anvil's platform package "${platformPackage}" is not installed.`, { cause });
  }
}

export type TestAnvil = Awaited<ReturnType<typeof startAnvil>>;

/**
 * Starts anvil on a free loopback port (`--port 0`, so no race for the port) and returns a viem client for it.
 * @example const anvil = await startAnvil({ chainId: 8453 }); afterAll(anvil.stop);
 */
export async function startAnvil({ chainId = 31337, args = [] }: { chainId?: number; args?: string[] } = {}) {
  const child = spawn(
    anvilBinaryPath(),
    ["--host", "127.0.0.1", "--port", "0", "--chain-id", String(chainId), ...args],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const rpcUrl = await new Promise<string>((resolve, reject) => {
    const onOutput = (chunk: Buffer) => {
      output += chunk;
      const listening = /Listening on (\S+)/.exec(output);
      if (listening) settle(() => resolve(`http://${listening[1]}`));
    };
    const onError = (error: Error) =>
      settle(() => reject(new AnvilError(`anvil could not be spawned: ${error.message}`, { cause: error })));
    const onExit = (code: number | null, signal: string | null) =>
      settle(() =>
        reject(new AnvilError(`anvil exited (code ${code}, signal ${signal}) before listening.`, { details: output })),
      );
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      settle(() => reject(new AnvilError(`anvil did not listen within ${START_TIMEOUT_MS} ms.`, { details: output })));
    }, START_TIMEOUT_MS);
    function settle(finish: () => void) {
      clearTimeout(timer);
      child.stdout.off("data", onOutput);
      child.stderr.off("data", onOutput);
      child.off("error", onError).off("exit", onExit);
      finish();
    }
    child.stdout.on("data", onOutput);
    child.stderr.on("data", onOutput);
    child.on("error", onError).on("exit", onExit);
  });
  // Keep draining both pipes for the node's lifetime: a full pipe would block anvil's per-request logging.
  child.stdout.resume();
  child.stderr.resume();

  const chain = defineChain({
    id: chainId,
    name: `anvil-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const client = createTestClient({ chain, mode: "anvil", transport: http(rpcUrl), pollingInterval: 50 })
    .extend(publicActions)
    .extend(walletActions);

  /** Stops the node and resolves once the process has exited. */
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return { chain, client, rpcUrl, pid: child.pid, stop };
}
