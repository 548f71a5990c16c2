#!/usr/bin/env node
// `npm run serve -- --network <name|path>`: the indexer with its GraphQL API, and the explorer, against networks
// someone else runs (no devnet): a built-in profile (`opengradient`, the live networks) or a profile file, with the
// RPC URLs from the environment (BASE_RPC_URL, OG_RPC_URL). Ctrl-C stops everything; see docs/operations.md.
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { tsImport } from "tsx/esm/api";
import { ROOT, reportProgress, startExplorer, startIndexer, supervise } from "./services.mjs";

const LABEL = "serve";
const USAGE = `Usage: npm run serve -- --network <opengradient|devnet|profile.json>

Runs the indexer (GraphQL API at /graphql) and the explorer against the named network profile. The RPC URLs come
from BASE_RPC_URL and OG_RPC_URL; WALRUS_AGGREGATOR_URL, SETTLESCAN_BLOB_ARCHIVE, DATABASE_URL, DATABASE_SCHEMA,
DATABASE_VIEWS_SCHEMA, PORT and WEB_PORT are read too (docs/operations.md).`;

let args;
try {
  args = parseArgs({ options: { network: { type: "string" }, help: { type: "boolean" } } }).values;
} catch (error) {
  console.error(`${error.message}\n\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

// `npm run` starts scripts in the repository's root; a relative profile path means the caller's directory.
const callerDir = process.env.INIT_CWD ?? process.cwd();
const named = args.network ?? process.env.SETTLESCAN_NETWORK;
if (!named) {
  console.error(`No network given: pass --network with a built-in name or a profile file.\n\n${USAGE}`);
  process.exit(2);
}
const isPath = named.includes("/") || named.includes("\\") || named.endsWith(".json");
const network = isPath ? resolve(callerDir, named) : named;

// The profile, checked before anything starts: the same loader and RPC check the indexer runs.
const { loadProfile } = await tsImport(join(ROOT, "abis", "src", "node", "index.ts"), import.meta.url);
const { requireRpcUrls } = await tsImport(join(ROOT, "abis", "src", "index.ts"), import.meta.url);
let profile;
try {
  profile = requireRpcUrls(loadProfile({ env: { ...process.env, SETTLESCAN_NETWORK: network } }));
} catch (error) {
  if (error?.name !== "ProfileError") throw error;
  console.error(error.message);
  process.exit(2);
}

const services = supervise(LABEL);
const indexerUrl = await startIndexer(services, {
  label: LABEL,
  port: Number(process.env.PORT ?? 42069),
  schema: process.env.DATABASE_SCHEMA ?? "settlescan",
  viewsSchema: process.env.DATABASE_VIEWS_SCHEMA,
  untilReady: false,
  env: {
    SETTLESCAN_NETWORK: network,
    // Without PostgreSQL, each network gets its own embedded database: never one `npm start` wiped or another
    // network's tables.
    ...(process.env.DATABASE_URL || process.env.PGLITE_DIRECTORY
      ? {}
      : { PGLITE_DIRECTORY: join(ROOT, "indexer", ".settlescan", `pglite-${profile.name}`) }),
  },
});
await startExplorer(services, {
  label: LABEL,
  apiUrl: indexerUrl,
  port: Number(process.env.WEB_PORT ?? 5173),
  outDir: process.env.WEB_OUT_DIR ?? join(ROOT, "web", "dist"),
  env: { SETTLESCAN_NETWORK: network },
});
reportProgress({ indexerUrl, rpcUrls: { base: profile.payment.rpcUrl, og: profile.verification.rpcUrl } });
