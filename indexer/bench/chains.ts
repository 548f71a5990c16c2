import { mkdtempSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NetworkProfile } from "@settlescan/abis";
import { FACILITATOR, FACILITATOR_2, PAYEE } from "@settlescan/devnet/accounts";
import { type Devnet, startDevnet } from "@settlescan/devnet/devnet";
import type { Manifest } from "@settlescan/devnet/manifest";
import { devnetProfileOf, writeProfile } from "@settlescan/devnet/profile";
import { rpc, rpcBatch } from "@settlescan/devnet/rpc";
import { planScenario, SCENARIO_START_TIME } from "@settlescan/devnet/scenarioPlan";
import { runScenario } from "@settlescan/devnet/scenarioRun";
import { type Address, createPublicClient, type Hex, http, numberToHex } from "viem";

// Ponder's finality depth for these chain ids is 30 blocks: the scenario is buried under it and indexed as history.
const FINALITY_MARGIN = 40;

/** Plain ETH transfers that make "base" look like Base: `perBlock` in every block, `emptyBlocks` blocks between rounds. */
export type Filler = { perBlock: number; emptyBlocks: number };

export type BenchChains = {
  devnet: Devnet;
  manifest: Manifest;
  profile: NetworkProfile;
  /** The devnet's network profile, written to a temp file for the indexers. */
  profilePath: string;
  /** Each chain's last block of the scenario: every index stops there (`endBlocks`) and is timed to it. */
  heads: { base: number; og: number };
  endBlocks: Record<string, string>;
  /** Inferences and payments the scenario put on chain: the denominators of per-item figures. */
  counts: { inferences: number; payments: number; settlements: number };
  /** Filler transactions sent to "base" (0 without a filler). */
  fillerTxs: number;
};

/**
 * A fresh devnet with a seeded real-protocol scenario of `size` inferences played on it: half exact-link receipts,
 * half facilitator inferences (as devnet/bench/scenario.bench.ts plays them). With `filler`, every "base" block the
 * scenario mines also carries unrelated transfers, and empty-of-matches full blocks are mined between its rounds.
 */
export async function benchChains({
  seed,
  size,
  filler,
}: {
  seed: string;
  size: number;
  filler?: Filler;
}): Promise<BenchChains> {
  const devnet = await startDevnet({ ports: "free", timestamp: BigInt(SCENARIO_START_TIME - 3600) });
  const receipts = Math.ceil(size / 2);
  const plan = planScenario({
    seed,
    receipts,
    inferences: size - receipts,
    payees: [PAYEE.address],
    facilitators: [FACILITATOR.address, FACILITATOR_2.address],
  });
  const filling = filler ? await startFillingProxy(devnet.deployment.chains.base.rpcUrl, filler) : undefined;
  const deployment = filling
    ? {
        ...devnet.deployment,
        chains: { ...devnet.deployment.chains, base: { ...devnet.deployment.chains.base, rpcUrl: filling.url } },
      }
    : devnet.deployment;
  let manifest: Manifest;
  try {
    manifest = await runScenario({ deployment, plan });
  } finally {
    await filling?.close();
  }
  const profile = devnetProfileOf(devnet.deployment);
  const profilePath = join(mkdtempSync(join(tmpdir(), "settlescan-bench-profile-")), "profile.json");
  writeProfile(profile, profilePath);
  const clients = [devnet.deployment.chains.base, devnet.deployment.chains.og].map((c) =>
    createPublicClient({ transport: http(c.rpcUrl) }),
  );
  const [base, og] = (await Promise.all(clients.map((c) => c.getBlockNumber()))).map(Number) as [number, number];
  for (const chain of [devnet.deployment.chains.base, devnet.deployment.chains.og])
    await rpc(chain.rpcUrl, "anvil_mine", [numberToHex(FINALITY_MARGIN), "0x1"]);
  return {
    devnet,
    manifest,
    profile,
    profilePath,
    heads: { base, og },
    endBlocks: { BASE_END_BLOCK: String(base), OG_END_BLOCK: String(og) },
    counts: {
      inferences: manifest.inferences.length,
      payments: manifest.payments.length,
      settlements: manifest.settlements.length,
    },
    fillerTxs: filling?.sent() ?? 0,
  };
}

const FILLER_FROM: Address = "0x00000000000000000000000000000000000f111e";
const bodyOf = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};

/**
 * A loopback proxy in front of the "base" node for the scenario player: before each batch of transactions it mines
 * `emptyBlocks` blocks of `perBlock` plain transfers (one second apart after the last block; rounds are a minute
 * apart), and it adds `perBlock` transfers to the batch's own block.
 */
async function startFillingProxy(target: string, { perBlock, emptyBlocks }: Filler) {
  await rpc(target, "anvil_setBalance", [FILLER_FROM, numberToHex(10n ** 30n)]);
  let nonce = 0;
  let sent = 0;
  let lastTime = 0;
  const inPaymentBlock = new Set<Hex>();
  const transfers = () =>
    Array.from({ length: perBlock }, (_, i) => {
      sent++;
      const to = `0x${(0xf0000000 + ((sent * 7919 + i) % 0xfffffff)).toString(16).padStart(40, "0")}` as Address;
      return {
        method: "eth_sendTransaction",
        params: [{ from: FILLER_FROM, to, value: "0x1", gas: numberToHex(21_000), nonce: numberToHex(nonce++) }],
      };
    });
  const forward = async (body: string) => {
    const upstream = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body });
    return upstream.text();
  };
  const server = createServer((req, res) => {
    void (async () => {
      const body = await bodyOf(req);
      // The player's calls come in JSON-RPC batches, one call or many.
      const calls = [JSON.parse(body) as { method: string; params: unknown[] }[]].flat();
      const method = calls[0]?.method;
      if (method === "eth_sendTransaction") {
        if (lastTime === 0)
          lastTime = Number(
            (await rpc<{ timestamp: Hex }>(target, "eth_getBlockByNumber", ["latest", false])).timestamp,
          );
        for (let b = 0; b < emptyBlocks; b++) {
          await rpcBatch(target, transfers());
          lastTime++;
          await rpc(target, "evm_mine", [{ timestamp: lastTime, blocks: 1 }]);
        }
        for (const hash of await rpcBatch<Hex>(target, transfers())) inPaymentBlock.add(hash);
      }
      // The player checks that its block holds exactly its own transactions: the filler is hidden from that check.
      if (method === "eth_getBlockByNumber" && inPaymentBlock.size > 0) {
        const replies = [JSON.parse(await forward(body)) as { result?: { transactions: Hex[] } }].flat();
        for (const reply of replies)
          if (reply.result) reply.result.transactions = reply.result.transactions.filter((h) => !inPaymentBlock.has(h));
        inPaymentBlock.clear();
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(replies));
        return;
      }
      if (method === "evm_mine") {
        const [options] = calls[0]!.params as [{ timestamp?: number } | undefined];
        if (options?.timestamp !== undefined) lastTime = options.timestamp;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(await forward(body));
    })().catch((error) => {
      res.writeHead(502).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent: () => sent,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
