import { readFileSync } from "node:fs";
import { freePort } from "@settlescan/devnet/chains";
import type { Manifest } from "@settlescan/devnet/manifest";
import { type IndexerProcess, startIndexer } from "@settlescan/indexer/test/indexerProcess.ts";
import { type ScenarioChains, scenarioChains } from "@settlescan/indexer/test/scenarioChains.ts";
import { build, type PreviewServer, preview } from "vite";

const WEB_DIR = new URL("..", import.meta.url).pathname;

export type Stack = {
  chains: ScenarioChains;
  manifest: Manifest;
  indexer: IndexerProcess;
  /** The API (indexer with /graphql mounted). */
  apiUrl: string;
  /** The built explorer, served by `vite preview` with /graphql, /export and /blob forwarded to the API. */
  webUrl: string;
  stop: () => Promise<void>;
};

/**
 * Builds the explorer into dist/ (unless `rebuild: false`) for the network `profilePath` names (else as vite.config.ts
 * decides) and serves it, forwarding the API's routes to `apiUrl`.
 */
export async function serveExplorer({
  apiUrl,
  port,
  rebuild = true,
  profilePath,
  quiet = false,
}: {
  apiUrl: string;
  port?: number;
  rebuild?: boolean;
  /** The profile /verify offers the RPC and aggregator of. */
  profilePath?: string;
  /** No proxy error logs: for a server in front of an API that is down on purpose. */
  quiet?: boolean;
}) {
  const define = profilePath
    ? { __SETTLESCAN_PROFILE__: JSON.stringify(JSON.parse(readFileSync(profilePath, "utf8"))) }
    : {};
  if (rebuild) await build({ root: WEB_DIR, logLevel: "warn", define });
  const webPort = port ?? (await freePort());
  const proxy = { "/graphql": { target: apiUrl }, "/export": { target: apiUrl }, "/blob": { target: apiUrl } };
  const server: PreviewServer = await preview({
    root: WEB_DIR,
    logLevel: quiet ? "silent" : "warn",
    preview: { host: "127.0.0.1", port: webPort, strictPort: true, proxy, open: false },
  });
  return {
    url: `http://127.0.0.1:${webPort}`,
    stop: () => server.close(),
  };
}

/**
 * The real stack on a seeded scenario: devnet chains with the scenario played, the indexer on PGlite with the API
 * mounted, and the built explorer in front of it. `sessions`: OPG upto session payments, linked to inferences by
 * session (none by default, as before sessions existed).
 */
export async function startStack({
  seed,
  receipts,
  sessions,
}: {
  seed: string;
  receipts: number;
  sessions?: number;
}): Promise<Stack> {
  const chains = await scenarioChains({ seed, receipts, sessions });
  const stops: (() => Promise<void>)[] = [() => chains.devnet.stop()];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
  };
  try {
    const indexer = await startIndexer({ profile: chains.profilePath, env: chains.endBlocks });
    stops.push(() => indexer.stop());
    await indexer.waitForBlocks(chains.heads);
    await waitForOk(`${indexer.url}/ready`);
    const web = await serveExplorer({ apiUrl: indexer.url, profilePath: chains.profilePath });
    stops.push(web.stop);
    return { chains, manifest: chains.manifest, indexer, apiUrl: indexer.url, webUrl: web.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForOk(url: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms.`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
