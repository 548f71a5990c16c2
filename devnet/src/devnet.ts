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

type ChainNode = Pick<Anvil, "name" | "chainId" | "rpcUrl" | "stop">;
export type Devnet = { base: ChainNode; og: ChainNode; deployment: Deployment; stop: () => Promise<void> };

/** Nodes someone else runs (e.g. docker-compose's anvil services), given by `BASE_RPC_URL` and `OG_RPC_URL`. */
export function attachedNodesOf(env = process.env): { base: ChainNode; og: ChainNode } | undefined {
  if (!env.BASE_RPC_URL || !env.OG_RPC_URL) return undefined;
  const node = (name: string, chainId: number, rpcUrl: string) => ({ name, chainId, rpcUrl, stop: async () => {} });
  return { base: node("base", BASE_CHAIN_ID, env.BASE_RPC_URL), og: node("og", OG_CHAIN_ID, env.OG_RPC_URL) };
}

/**
 * Starts both chains, deploys the contracts and returns the deployment. `blockTime` > 0 switches to interval
 * mining once deployed (live runs: Ponder stalls on automine across several chains); 0 keeps automine.
 * @example const devnet = await startDevnet({ ports: "free" })
 */
export async function startDevnet({
  ports = DEFAULT_PORTS,
  blockTime = 0,
  timestamp,
  attach,
}: {
  ports?: { base: number; og: number } | "free";
  blockTime?: number;
  timestamp?: bigint;
  attach?: { base: ChainNode; og: ChainNode };
} = {}): Promise<Devnet> {
  const resolved = ports === "free" ? { base: await freePort(), og: await freePort() } : ports;
  const base =
    attach?.base ?? (await startAnvil({ name: "base", chainId: BASE_CHAIN_ID, port: resolved.base, timestamp }));
  const og =
    attach?.og ??
    (await startAnvil({ name: "og", chainId: OG_CHAIN_ID, port: resolved.og, timestamp }).catch(async (e) => {
      await base.stop();
      throw e;
    }));
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
