import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FACILITATOR, FACILITATOR_2, PAYEE } from "@settlescan/devnet/accounts";
import { type Devnet, startDevnet } from "@settlescan/devnet/devnet";
import type { Manifest } from "@settlescan/devnet/manifest";
import { devnetProfileOf, writeProfile } from "@settlescan/devnet/profile";
import { rpc } from "@settlescan/devnet/rpc";
import { planScenario, SCENARIO_START_TIME } from "@settlescan/devnet/scenarioPlan";
import { runScenario } from "@settlescan/devnet/scenarioRun";
import { type Address, createPublicClient, http, numberToHex } from "viem";

const FINALITY_MARGIN = 40;

export type ScenarioChains = {
  devnet: Devnet;
  manifest: Manifest;
  /** The devnet's network profile, written to a temp file for the indexers. */
  profilePath: string;
  /** Each chain's last block of the scenario: index up to here (`endBlocks`), wait for it (`waitForBlocks`). */
  heads: { base: number; og: number };
  /** Indexer environment that stops at `heads`, so every index of these chains covers exactly the same blocks. */
  endBlocks: Record<string, string>;
};

/**
 * Starts a devnet on free ports, plays a seeded scenario on it, and writes its network profile to a temp file.
 * `sessions`: OPG upto session payments (docs/protocol.md §4 session links), none by default. `facilitators`: who
 * submits the payments (both devnet facilitators by default).
 */
export async function scenarioChains({
  seed,
  receipts,
  sessions,
  facilitators = [FACILITATOR.address, FACILITATOR_2.address],
}: {
  seed: string;
  receipts: number;
  sessions?: number;
  facilitators?: Address[];
}): Promise<ScenarioChains> {
  const devnet = await startDevnet({ ports: "free", timestamp: BigInt(SCENARIO_START_TIME - 3600) });
  const plan = planScenario({
    seed,
    receipts,
    payees: [PAYEE.address],
    facilitators,
    batchSize: 50,
    sessions,
  });
  const manifest = await runScenario({ deployment: devnet.deployment, plan });
  const profilePath = join(mkdtempSync(join(tmpdir(), "settlescan-profile-")), "profile.json");
  writeProfile(devnetProfileOf(devnet.deployment), profilePath);
  const clients = [devnet.deployment.chains.base, devnet.deployment.chains.og].map((c) =>
    createPublicClient({ transport: http(c.rpcUrl) }),
  );
  const [base, og] = (await Promise.all(clients.map((c) => c.getBlockNumber()))).map(Number) as [number, number];
  // Bury the scenario under Ponder's finality depth (30 blocks for these chain ids), so it is indexed as history,
  // and so omnichain ordering does not wait on the chains' last, equal timestamps.
  for (const chain of [devnet.deployment.chains.base, devnet.deployment.chains.og])
    await rpc(chain.rpcUrl, "anvil_mine", [numberToHex(FINALITY_MARGIN), "0x1"]);
  return {
    devnet,
    manifest,
    profilePath,
    heads: { base, og },
    endBlocks: { BASE_END_BLOCK: String(base), OG_END_BLOCK: String(og) },
  };
}
