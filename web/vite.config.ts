import { existsSync, readFileSync } from "node:fs";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The network profile the explorer is built for, whose verification chain RPC and Walrus aggregator /verify offers
 * by default: `SETTLESCAN_NETWORK` when it is a profile file, else the devnet's when it has written one; null (the
 * built-in opengradient profile, no RPC) otherwise. It is only JSON here; the browser parses and checks it.
 */
function builtForProfile(): unknown {
  const named = process.env.SETTLESCAN_NETWORK;
  const path = named?.endsWith(".json")
    ? named
    : !named || named === "devnet"
      ? new URL("../devnet/profile.json", import.meta.url).pathname
      : undefined;
  return path && existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : null;
}

/**
 * Where the dev server and `vite preview` forward /graphql, /export and /blob: the API on its loopback port,
 * `PORT` as the start command sets it for the indexer and its mounted API.
 */
const API_PROXY_TARGET = process.env.SETTLESCAN_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 42069}`;
/** The explorer's port (docs/protocol.md) and interface, overridable (a container listens on 0.0.0.0). */
const PORT = Number(process.env.WEB_PORT ?? 5173);
const HOST = process.env.WEB_HOST ?? "127.0.0.1";

const proxy = {
  "/graphql": { target: API_PROXY_TARGET, changeOrigin: true },
  "/export": { target: API_PROXY_TARGET, changeOrigin: true },
  // Raw Walrus blobs as the API archived them: the browser re-checks inclusion from these bytes.
  "/blob": { target: API_PROXY_TARGET, changeOrigin: true },
};

export default defineConfig({
  plugins: [react()],
  define: { __SETTLESCAN_PROFILE__: JSON.stringify(builtForProfile()) },
  server: { host: HOST, port: PORT, strictPort: true, proxy },
  preview: { host: HOST, port: PORT, strictPort: true, proxy },
  // ECharts (~550 kB, ~185 kB gzipped) is its own lazy chunk, loaded only by the dashboard: no need to warn about it.
  build: { target: "es2022", sourcemap: false, reportCompressedSize: true, chunkSizeWarningLimit: 600 },
});
