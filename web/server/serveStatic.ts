// `node server/serveStatic.ts`: serves the built explorer in production (the container's `web` role, `pnpm --filter
// @settlescan/web serve`), where development uses `vite preview`. Reads the same variables as vite.config.ts.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { API_PATHS, createExplorerServer } from "./explorerServer.ts";

/** How long a stop waits for open requests (an export stream) before it closes their connections. */
const SHUTDOWN_GRACE_MS = 5_000;

const env = process.env;
const root = resolve(env.WEB_OUT_DIR ?? fileURLToPath(new URL("../dist", import.meta.url)));
const apiUrl = env.SETTLESCAN_API_URL ?? `http://127.0.0.1:${env.PORT ?? 42069}`;
const host = env.WEB_HOST ?? "127.0.0.1";
const port = Number(env.WEB_PORT ?? 5173);

function fail(message: string, code: number): never {
  console.error(`[explorer] ${message}`);
  process.exit(code);
}

if (!Number.isInteger(port) || port < 0 || port > 65_535)
  fail(`WEB_PORT is "${env.WEB_PORT}", expected a port number (0 to 65535).`, 2);
if (!existsSync(join(root, "index.html")))
  fail(`No built explorer at ${root} (index.html is missing): build it first, pnpm --filter @settlescan/web build.`, 1);

let server: ReturnType<typeof createExplorerServer>;
try {
  server = createExplorerServer({ root, apiUrl });
} catch (error) {
  fail(`SETTLESCAN_API_URL: ${(error as Error).message}`, 2);
}
server.on("error", (error: NodeJS.ErrnoException) =>
  fail(error.code === "EADDRINUSE" ? `Port ${port} on ${host} is already in use (WEB_PORT).` : `${error.message}`, 1),
);
server.listen(port, host, () => {
  const address = server.address();
  const listening = typeof address === "object" && address ? address.port : port;
  console.log(`[explorer] http://${host}:${listening} serving ${root}; ${API_PATHS.join(", ")} forwarded to ${apiUrl}`);
});

for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      process.exit(0);
    }, SHUTDOWN_GRACE_MS).unref();
  });
