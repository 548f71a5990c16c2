import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

/** A running loopback HTTP server. */
export type Served = { url: string; port: number; close: () => Promise<void> };

/**
 * Serves a fetch handler (e.g. a Hono app) on the loopback interface; port 0 picks a free port.
 * @example const { url, close } = await serveOnLoopback(app.fetch)
 */
export function serveOnLoopback(
  fetch: (request: Request) => Response | Promise<Response>,
  { port = 0, hostname = "127.0.0.1" }: { port?: number; hostname?: string } = {},
): Promise<Served> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, (info: AddressInfo) => {
      resolve({
        url: `http://${hostname}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done, fail) => {
            // Keep-alive sockets from fetch would hold close() open until they time out.
            if ("closeAllConnections" in server) server.closeAllConnections();
            server.close((error) => (error ? fail(error) : done()));
          }),
      });
    });
    server.once("error", reject);
  });
}
