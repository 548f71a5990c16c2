import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

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
  server: { host: HOST, port: PORT, strictPort: true, proxy },
  preview: { host: HOST, port: PORT, strictPort: true, proxy },
  // ECharts (~550 kB, ~185 kB gzipped) is its own lazy chunk, loaded only by the dashboard: no need to warn about it.
  build: { target: "es2022", sourcemap: false, reportCompressedSize: true, chunkSizeWarningLimit: 600 },
});
