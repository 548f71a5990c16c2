#!/usr/bin/env node
// `npm start`: the whole product on loopback — devnet (chains, contracts, live x402 traffic), the indexer with the
// GraphQL API on the embedded database, and the explorer — with one progress line per few seconds. Ctrl-C stops
// everything. `npm run serve` (scripts/serve.mjs) runs the same indexer and explorer against another network.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ROOT, reportProgress, startExplorer, startIndexer, supervise, waitFor } from "./services.mjs";

const LABEL = "start";
const DEPLOYMENT = join(ROOT, "devnet", "deployment.json");
const PROFILE = join(ROOT, "devnet", "profile.json");
const INDEXER_PORT = Number(process.env.PORT ?? 42069);
const WEB_PORT = Number(process.env.WEB_PORT ?? 5173);

const services = supervise(LABEL);

// The devnet is new on every start, so its old deployment and the indexer's old database describe chains that
// no longer exist.
rmSync(DEPLOYMENT, { force: true });
rmSync(PROFILE, { force: true });
rmSync(join(ROOT, "indexer", ".ponder"), { recursive: true, force: true });

// tsx directly (not through pnpm), so SIGTERM reaches the devnet process itself: alone, not its process group, so
// its facilitator posts the proofs it holds before it stops anvil.
services.start("devnet", "tsx", ["src/cli.ts", "start"], { cwd: join(ROOT, "devnet"), signalGroup: false });
// The indexer reads the devnet's network profile (SETTLESCAN_NETWORK defaults to it), written last.
await waitFor(() => existsSync(DEPLOYMENT) && existsSync(PROFILE), "The devnet", { label: LABEL });

const indexerUrl = await startIndexer(services, {
  label: LABEL,
  port: INDEXER_PORT,
  schema: process.env.DATABASE_SCHEMA ?? "settlescan",
});
await startExplorer(services, { label: LABEL, apiUrl: indexerUrl, port: WEB_PORT });

const deployment = JSON.parse(readFileSync(DEPLOYMENT, "utf8"));
reportProgress({
  indexerUrl,
  rpcUrls: Object.fromEntries(Object.entries(deployment.chains).map(([name, chain]) => [name, chain.rpcUrl])),
});
