#!/usr/bin/env node
// The containers' health check (docker-compose.yml), as the image has no curl: `node scripts/probe.mjs <url>` exits 0
// when the URL answers 2xx within 2 s, 1 otherwise; with `--rpc`, the URL is a JSON-RPC node asked for its chain id.
const TIMEOUT_MS = 2_000;
const [url, mode] = process.argv.slice(2);
if (!url || (mode !== undefined && mode !== "--rpc")) {
  console.error("Usage: node scripts/probe.mjs <url> [--rpc]");
  process.exit(2);
}
const request =
  mode === "--rpc"
    ? {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      }
    : {};
try {
  const res = await fetch(url, { ...request, signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  if (mode === "--rpc" && !(await res.json()).result) throw new Error("no chain id in the answer");
  process.exit(0);
} catch (error) {
  console.error(`${url}: ${error.message}`);
  process.exit(1);
}
