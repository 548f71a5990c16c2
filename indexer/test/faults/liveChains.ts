import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FACILITATOR, FACILITATOR_2, PAYEE } from "@settlescan/devnet/accounts";
import { type Devnet, startDevnet } from "@settlescan/devnet/devnet";
import { devnetProfileOf, writeProfile } from "@settlescan/devnet/profile";
import { rpc } from "@settlescan/devnet/rpc";
import { planScenario, SCENARIO_START_TIME } from "@settlescan/devnet/scenarioPlan";
import { runScenario } from "@settlescan/devnet/scenarioRun";
import { type Hex, numberToHex } from "viem";

export type ChainName = "base" | "og";

/**
 * A devnet whose chains grow in small seeded scenario rounds while an indexer follows them live, and that can
 * be reorganised: `reorg` drops the last `depth` blocks of a chain and grows it past its old height with
 * other transactions, so an indexer must undo what it indexed.
 */
export async function liveChains() {
  const devnet: Devnet = await startDevnet({ ports: "free", timestamp: BigInt(SCENARIO_START_TIME - 3600) });
  const profilePath = join(mkdtempSync(join(tmpdir(), "settlescan-faults-")), "profile.json");
  writeProfile(devnetProfileOf(devnet.deployment), profilePath);
  const urls = { base: devnet.deployment.chains.base.rpcUrl, og: devnet.deployment.chains.og.rpcUrl };
  let rounds = 0;

  const head = async (chain: ChainName) => {
    const block = await rpc<{ number: Hex; timestamp: Hex }>(urls[chain], "eth_getBlockByNumber", ["latest", false]);
    return { number: Number(block.number), timestamp: Number(block.timestamp) };
  };
  const heads = async () => ({ base: (await head("base")).number, og: (await head("og")).number });

  /** Plays a small seeded scenario on both chains, after both chains' current time. */
  const playRound = async (receipts = 24) => {
    const start = Math.max((await head("base")).timestamp, (await head("og")).timestamp) + 120;
    const plan = planScenario({
      seed: `live-${rounds++}`,
      receipts,
      startTime: start,
      payees: [PAYEE.address],
      facilitators: [FACILITATOR.address, FACILITATOR_2.address],
      batchSize: 8,
      spanSeconds: 600,
      // A blob released while the index follows live is judged on a later verification-chain event, whenever the
      // indexer's background retry has fetched it: a race with the end of the run, not a fault under test here.
      plainMix: { released: 0 },
    });
    await runScenario({ deployment: devnet.deployment, plan });
  };

  /** Drops the last `depth` blocks of `chain`, then grows it past its old height with a new round. */
  const reorg = async (chain: ChainName, depth: number) => {
    const before = (await head(chain)).number;
    await rpc(urls[chain], "anvil_rollback", [depth]);
    await playRound(8);
    const after = (await head(chain)).number;
    if (after <= before) await rpc(urls[chain], "anvil_mine", [numberToHex(before - after + 1), "0x1"]);
  };

  return { devnet, profilePath, urls, heads, playRound, reorg, stop: () => devnet.stop() };
}

export type LiveChains = Awaited<ReturnType<typeof liveChains>>;
