import { CLIENTS } from "./accounts";
import { type Anvil, BASE_CHAIN_ID, freePort, OG_CHAIN_ID, startAnvil } from "./chains";
import { deployDevnet } from "./deploy";
import type { Deployment } from "./deployment";
import { rpc } from "./rpc";
import { type BlobService, DEFAULT_WALRUS_PORT, startBlobService } from "./walrus/blobService";

/** Loopback ports of the devnet (docs/protocol.md), each overridable by its environment variable. */
export const DEFAULT_PORTS = {
  base: Number(process.env.BASE_RPC_PORT ?? 8545),
  og: Number(process.env.OG_RPC_PORT ?? 8546),
  /** The Walrus-compatible blob service (publisher and aggregator on one port). */
  walrus: Number(process.env.WALRUS_PORT ?? DEFAULT_WALRUS_PORT),
  /** The TEE gateway the enclaves register as their endpoint. */
  gateway: Number(process.env.GATEWAY_PORT ?? 8402),
};

export type DevnetPorts = { base: number; og: number; walrus?: number; gateway?: number };

type ChainNode = Pick<Anvil, "name" | "chainId" | "rpcUrl" | "stop">;
export type Devnet = {
  base: ChainNode;
  og: ChainNode;
  walrus: BlobService;
  /** The port the TEE gateway should listen on: the enclaves are registered with it as their endpoint. */
  gatewayPort: number;
  deployment: Deployment;
  stop: () => Promise<void>;
};

/** Nodes someone else runs (e.g. docker-compose's anvil services), given by `BASE_RPC_URL` and `OG_RPC_URL`. */
export function attachedNodesOf(env = process.env): { base: ChainNode; og: ChainNode } | undefined {
  if (!env.BASE_RPC_URL || !env.OG_RPC_URL) return undefined;
  const node = (name: string, chainId: number, rpcUrl: string) => ({ name, chainId, rpcUrl, stop: async () => {} });
  return { base: node("base", BASE_CHAIN_ID, env.BASE_RPC_URL), og: node("og", OG_CHAIN_ID, env.OG_RPC_URL) };
}

/**
 * Starts both chains and the blob service on loopback, deploys the contracts and returns the deployment.
 * `blockTime` > 0 switches to interval mining once deployed (live runs: Ponder stalls on automine across several
 * chains); 0 keeps automine.
 * @example const devnet = await startDevnet({ ports: "free" })
 */
export async function startDevnet({
  ports = DEFAULT_PORTS,
  blockTime = 0,
  timestamp,
  attach,
}: {
  ports?: DevnetPorts | "free";
  blockTime?: number;
  timestamp?: bigint;
  attach?: { base: ChainNode; og: ChainNode };
} = {}): Promise<Devnet> {
  const resolved =
    ports === "free"
      ? { base: await freePort(), og: await freePort(), walrus: 0, gateway: await freePort() }
      : { walrus: DEFAULT_PORTS.walrus, gateway: DEFAULT_PORTS.gateway, ...ports };
  const base =
    attach?.base ?? (await startAnvil({ name: "base", chainId: BASE_CHAIN_ID, port: resolved.base, timestamp }));
  const started: { stop: () => Promise<void> }[] = [base];
  const stop = async () => {
    await Promise.all(started.map((service) => service.stop()));
  };
  try {
    const og = attach?.og ?? (await startAnvil({ name: "og", chainId: OG_CHAIN_ID, port: resolved.og, timestamp }));
    started.push(og);
    // WALRUS_HOST=0.0.0.0 lets other containers read blobs (compose); loopback otherwise.
    const walrus = await startBlobService({ port: resolved.walrus, host: process.env.WALRUS_HOST || undefined });
    started.push({ stop: () => walrus.close() });
    const deployment = await deployDevnet({
      base,
      og,
      walrus: { publisherUrl: walrus.publisherUrl, aggregatorUrl: walrus.aggregatorUrl },
      gatewayUrl: `http://127.0.0.1:${resolved.gateway}`,
      mintTo: CLIENTS.map((c) => c.address),
    });
    if (blockTime > 0) {
      for (const chain of [base, og]) await rpc(chain.rpcUrl, "evm_setIntervalMining", [blockTime]);
    }
    return { base, og, walrus, gatewayPort: resolved.gateway, deployment, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
