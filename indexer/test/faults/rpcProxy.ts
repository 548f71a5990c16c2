import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Share of requests (0–1) that meet each fault; the rest pass through untouched. */
export type FaultRates = { fail: number; delay: number; truncate: number; drop: number };

export const NO_FAULTS: FaultRates = { fail: 0, delay: 0, truncate: 0, drop: 0 };

export type RpcProxy = {
  url: string;
  /** Changes the fault mix from now on. */
  setRates: (rates: Partial<FaultRates>) => void;
  /** While down, every request is refused with HTTP 503 (a total outage of the node behind). */
  setDown: (down: boolean) => void;
  counts: () => Record<keyof FaultRates | "passed" | "refused", number>;
  close: () => Promise<void>;
};

/**
 * A loopback JSON-RPC proxy in front of a node that injects faults: HTTP 500s, delays up to `maxDelayMs`,
 * truncated bodies, and dropped connections. `random` is injectable so a run can be replayed.
 */
export async function startRpcProxy({
  target,
  rates = NO_FAULTS,
  maxDelayMs = 1_500,
  random = Math.random,
}: {
  target: string;
  rates?: Partial<FaultRates>;
  maxDelayMs?: number;
  random?: () => number;
}): Promise<RpcProxy> {
  let mix: FaultRates = { ...NO_FAULTS, ...rates };
  let down = false;
  const counts = { fail: 0, delay: 0, truncate: 0, drop: 0, passed: 0, refused: 0 };

  const forward = async (body: string) => {
    const upstream = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body });
    return { status: upstream.status, text: await upstream.text() };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    if (down) {
      counts.refused++;
      res.writeHead(503, { "content-type": "text/plain" }).end("node down");
      return;
    }
    // One draw picks the fault: [0, fail) fail, then drop, then delay, then truncate, else pass through.
    const x = random();
    const dropEdge = mix.fail + mix.drop;
    const delayEdge = dropEdge + mix.delay;
    if (x < mix.fail) {
      counts.fail++;
      res.writeHead(500, { "content-type": "text/plain" }).end("injected failure");
      return;
    }
    if (x < dropEdge) {
      counts.drop++;
      req.socket.destroy();
      return;
    }
    if (x < delayEdge) {
      counts.delay++;
      await new Promise((r) => setTimeout(r, random() * maxDelayMs));
    }
    const truncate = x >= delayEdge && x < delayEdge + mix.truncate;
    const { status, text } = await forward(body);
    if (truncate) {
      counts.truncate++;
      res.writeHead(status, { "content-type": "application/json" }).end(text.slice(0, Math.floor(text.length / 2)));
      return;
    }
    counts.passed++;
    res.writeHead(status, { "content-type": "application/json" }).end(text);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502).end("upstream unreachable");
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setRates: (next) => {
      mix = { ...mix, ...next };
    },
    setDown: (next) => {
      down = next;
    },
    counts: () => ({ ...counts }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
