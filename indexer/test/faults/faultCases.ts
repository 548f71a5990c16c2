import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { devnetProfileOf, writeProfile } from "@settlescan/devnet/profile";
import { type IndexerProcess, startIndexer } from "../indexerProcess";
import { startPostgres } from "../postgres";
import { scenarioChains } from "../scenarioChains";
import { compareIndexes, type IndexComparison } from "./compareIndexes";
import { type ChainName, type LiveChains, liveChains } from "./liveChains";
import { startRpcProxy } from "./rpcProxy";

export type FaultResult = IndexComparison & { fault: string; tries: number; survived: number };
type Log = (line: string) => void;

const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Indexes the final chains afresh and compares the disturbed index with it. */
async function judged(
  fault: string,
  tries: number,
  survived: number,
  disturbed: IndexerProcess,
  profile: string,
  heads: Record<string, number>,
  env: Record<string, string> = {},
): Promise<FaultResult> {
  const fresh = await startIndexer({ profile, env });
  try {
    await fresh.waitForBlocks(heads);
    await disturbed.waitForBlocks(heads);
    return { fault, tries, survived, ...(await compareIndexes(disturbed.url, fresh.url)) };
  } finally {
    await fresh.stop("SIGKILL");
  }
}

/** Reorgs of random depth 1–10 on a random chain while the indexer follows live. */
export async function reorgCase({ reorgs, log }: { reorgs: number; log: Log }): Promise<FaultResult> {
  const chains = await liveChains();
  const live = await startIndexer({ profile: chains.profilePath });
  try {
    await chains.playRound(40);
    let survived = 0;
    for (let i = 0; i < reorgs; i++) {
      await live.waitForBlocks(await chains.heads());
      const chain = pick<ChainName>(["base", "og"]);
      const depth = 1 + Math.floor(Math.random() * 10);
      await chains.reorg(chain, depth);
      survived++;
      log(`reorg ${i + 1}/${reorgs}: ${chain} depth ${depth}`);
    }
    return await judged("reorg (depth 1–10)", reorgs, survived, live, chains.profilePath, await chains.heads());
  } finally {
    await live.stop("SIGKILL");
    await chains.stop();
  }
}

/** `kill -9` of the indexer at random moments of a backfill, restarted each time on the same PostgreSQL schema. */
export async function killBackfillCase({ kills, receipts, log }: { kills: number; receipts: number; log: Log }) {
  const [chains, postgres] = await Promise.all([scenarioChains({ seed: "kill-backfill", receipts }), startPostgres()]);
  const options = {
    profile: chains.profilePath,
    databaseUrl: postgres.url,
    schema: "killed",
    env: chains.endBlocks,
  };
  let indexer = await startIndexer(options);
  try {
    let survived = 0;
    for (let i = 0; i < kills; i++) {
      await sleep(1500 + Math.random() * 5000);
      await indexer.stop("SIGKILL");
      log(`kill -9 during backfill ${i + 1}/${kills}`);
      indexer = await startIndexer(options);
      survived++;
    }
    return await judged(
      "kill -9 (backfill)",
      kills,
      survived,
      indexer,
      chains.profilePath,
      chains.heads,
      chains.endBlocks,
    );
  } finally {
    await indexer.stop("SIGKILL");
    postgres.stop();
    await chains.devnet.stop();
  }
}

/** `kill -9` of the indexer while it follows chains that keep growing, restarted each time. */
export async function killLiveCase({ kills, log }: { kills: number; log: Log }): Promise<FaultResult> {
  const [chains, postgres] = await Promise.all([liveChains(), startPostgres()]);
  const options = { profile: chains.profilePath, databaseUrl: postgres.url, schema: "killed_live" };
  let indexer = await startIndexer(options);
  try {
    let survived = 0;
    for (let i = 0; i < kills; i++) {
      const playing = chains.playRound(16);
      await sleep(500 + Math.random() * 3000);
      await indexer.stop("SIGKILL");
      log(`kill -9 during live indexing ${i + 1}/${kills}`);
      await playing;
      indexer = await startIndexer(options);
      survived++;
    }
    return await judged("kill -9 (live)", kills, survived, indexer, chains.profilePath, await chains.heads());
  } finally {
    await indexer.stop("SIGKILL");
    postgres.stop();
    await chains.stop();
  }
}

/**
 * RPC faults: both chains behind proxies that fail, delay, truncate or drop `rate` of requests, plus a total outage
 * of one chain for `outageMs` while the chains keep growing.
 */
export async function rpcFaultCase({
  rate,
  outageMs,
  rounds,
  log,
}: {
  rate: number;
  outageMs: number;
  rounds: number;
  log: Log;
}): Promise<FaultResult> {
  const chains: LiveChains = await liveChains();
  const rates = { fail: rate / 4, delay: rate / 4, truncate: rate / 4, drop: rate / 4 };
  const proxies = {
    base: await startRpcProxy({ target: chains.urls.base, rates }),
    og: await startRpcProxy({ target: chains.urls.og, rates }),
  };
  const proxied = join(mkdtempSync(join(tmpdir(), "settlescan-proxied-")), "profile.json");
  const profile = devnetProfileOf(chains.devnet.deployment);
  profile.payment.rpcUrl = proxies.base.url;
  profile.verification.rpcUrl = proxies.og.url;
  writeProfile(profile, proxied);
  // One URL each, so every request meets the proxy's odds. A long outage makes Ponder give up with exit code 75;
  // like the start command, the harness restarts it then.
  const indexer = await startIndexer({ profile: proxied, env: { RPC_FAN_OUT: "1" }, supervise: true });
  try {
    for (let i = 0; i < rounds; i++) {
      if (i === Math.floor(rounds / 2) && outageMs > 0) {
        const chain = pick<ChainName>(["base", "og"]);
        proxies[chain].setDown(true);
        log(`outage of ${chain} for ${outageMs / 1000} s`);
        const until = Date.now() + outageMs;
        while (Date.now() < until) {
          await chains.playRound(8);
          await sleep(Math.min(5_000, until - Date.now()));
        }
        proxies[chain].setDown(false);
      } else await chains.playRound(16);
      log(`rpc faults round ${i + 1}/${rounds}`);
    }
    // The undisturbed index reads the nodes directly.
    const result = await judged(
      `rpc faults (${rate * 100}%)`,
      rounds,
      rounds,
      indexer,
      chains.profilePath,
      await chains.heads(),
    );
    const counts = { base: proxies.base.counts(), og: proxies.og.counts() };
    log(`proxy counts: ${JSON.stringify(counts)}; indexer restarts after exit 75: ${indexer.restarts()}`);
    return result;
  } finally {
    await indexer.stop("SIGKILL");
    await Promise.all([proxies.base.close(), proxies.og.close()]);
    await chains.stop();
  }
}
