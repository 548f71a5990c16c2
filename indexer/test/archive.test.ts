import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { dumpOf, type IndexerProcess, rowsOf, startIndexer } from "./indexerProcess";
import { type ScenarioChains, scenarioChains } from "./scenarioChains";

const SETTLESCAN_BIN = new URL("../../cli/bin/settlescan.mjs", import.meta.url).pathname;

let chains: ScenarioChains;
const indexers: IndexerProcess[] = [];

beforeAll(async () => {
  chains = await scenarioChains({ seed: "archive", receipts: 100 });
}, 180_000);
afterAll(async () => {
  await Promise.all(indexers.map((i) => i.stop("SIGKILL")));
  await chains?.devnet.stop();
});

test("behavior: an exported blob archive rebuilds the same index after Walrus has dropped every blob", async () => {
  const first = await startIndexer({ profile: chains.profilePath, env: chains.endBlocks });
  indexers.push(first);
  await first.waitForBlocks(chains.heads);
  const expected = await dumpOf(first.url);

  const dir = mkdtempSync(join(tmpdir(), "settlescan-archive-"));
  const exported = spawnSync(
    process.execPath,
    [SETTLESCAN_BIN, "archive", "export", "--api", first.url, "--dir", dir],
    {
      encoding: "utf8",
    },
  );
  expect(exported.stderr).toBe("");
  expect(exported.status).toBe(0);
  const archived = chains.manifest.settlements.filter(
    (s) => s.blobStatus === "available" || s.blobStatus === "mismatched",
  );
  expect(new Set(readdirSync(dir))).toEqual(new Set(archived.map((s) => s.blobId)));
  expect(exported.stdout).toMatch(new RegExp(`^Archived ${archived.length} blobs in `));

  // Walrus has dropped every blob: a new deployment reads the archive instead.
  for (const { blobId } of chains.manifest.settlements) if (blobId) await chains.devnet.walrus.expire(blobId);
  const second = await startIndexer({
    profile: chains.profilePath,
    env: { ...chains.endBlocks, SETTLESCAN_BLOB_ARCHIVE: dir, BLOB_TIMEOUT_MS: "500" },
  });
  indexers.push(second);
  await second.waitForBlocks(chains.heads);
  const rebuilt = await dumpOf(second.url);
  for (const table of ["leaf", "inference", "receipt", "blob"])
    expect(rebuilt.tables[table], `table ${table}`).toEqual(expected.tables[table]);
  // Batches whose blob was never archived (pending, expired) are expired now; every other settlement is the same.
  const judged = async (url: string) =>
    (await rowsOf<{ blobStatus: string | null }>(url, "settlement")).filter(
      (s) => s.blobStatus !== "pending" && s.blobStatus !== "expired",
    );
  expect(await judged(second.url)).toEqual(await judged(first.url));
}, 300_000);
