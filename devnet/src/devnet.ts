import { CLIENTS } from "./accounts";
import { type Anvil, BASE_CHAIN_ID, freePort, OG_CHAIN_ID, startAnvil } from "./chains";
import { deployDevnet } from "./deploy";
import type { Deployment } from "./deployment";
import { rpc } from "./rpc";

/** Loopback ports of the devnet (DESIGN.md §7), each overridable by its environment variable. */
export const DEFAULT_PORTS = {
  base: Number(process.env.BASE_RPC_PORT ?? 8545),
  og: Number(process.env.OG_RPC_PORT ?? 8546),
};

export type Devnet = { base: Anvil; og: Anvil; deployment: Deployment; stop: () => Promise<void> };

/**
 * Starts both chains, deploys the contracts and returns the deployment. `blockTime` > 0 switches to interval
 * mining once deployed (live runs: Ponder stalls on automine across several chains); 0 keeps automine.
 * @example const devnet = await startDevnet({ ports: "free" })
 */
export async function startDevnet({
  ports = DEFAULT_PORTS,
  blockTime = 0,
  timestamp,
}: {
  ports?: { base: number; og: number } | "free";
  blockTime?: number;
  timestamp?: bigint;
} = {}): Promise<Devnet> {
  const resolved = ports === "free" ? { base: await freePort(), og: await freePort() } : ports;
  const base = await startAnvil({ name: "base", chainId: BASE_CHAIN_ID, port: resolved.base, timestamp });
  const og = await startAnvil({ name: "og", chainId: OG_CHAIN_ID, port: resolved.og, timestamp }).catch(async (e) => {
    await base.stop();
    throw e;
  });
  const stop = async () => {
    await Promise.all([base.stop(), og.stop()]);
  };
  try {
    const deployment = await deployDevnet({ base, og, mintTo: CLIENTS.map((c) => c.address) });
    if (blockTime > 0) {
      for (const chain of [base, og]) await rpc(chain.rpcUrl, "evm_setIntervalMining", [blockTime]);
    }
    return { base, og, deployment, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
