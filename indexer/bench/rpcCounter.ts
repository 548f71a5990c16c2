import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

type Call = { method: string; params?: unknown[] };

export type RpcCount = {
  /** HTTP requests, and JSON-RPC calls (a batch counts each of its calls). */
  requests: number;
  calls: number;
  /** Request plus response body bytes. */
  bytes: number;
  byMethod: Record<string, { calls: number; bytes: number }>;
  /** Block numbers asked for by eth_getBlockByNumber (tags such as "latest" left out). */
  blocksByNumber: number[];
  blocksByHash: number;
};

/** A loopback JSON-RPC proxy in front of `target` that counts requests, calls and bytes per method. */
export async function startRpcCounter(target: string) {
  const count: RpcCount = { requests: 0, calls: 0, bytes: 0, byMethod: {}, blocksByNumber: [], blocksByHash: 0 };
  const bodyOf = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const server = createServer((req, res) => {
    void (async () => {
      const body = await bodyOf(req);
      const upstream = await fetch(target, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: new Uint8Array(body),
      });
      const reply = Buffer.from(await upstream.arrayBuffer());
      let calls: Call[] = [];
      try {
        const parsed = JSON.parse(body.toString("utf8")) as Call | Call[];
        calls = Array.isArray(parsed) ? parsed : [parsed];
      } catch {
        // Not JSON: counted as a request and bytes only.
      }
      count.requests++;
      count.calls += calls.length;
      count.bytes += body.length + reply.length;
      for (const call of calls) {
        count.byMethod[call.method] ??= { calls: 0, bytes: 0 };
        const entry = count.byMethod[call.method]!;
        entry.calls++;
        // A batch's bytes are shared out evenly between its calls.
        entry.bytes += (body.length + reply.length) / calls.length;
        const first = call.params?.[0];
        if (call.method === "eth_getBlockByNumber" && typeof first === "string" && first.startsWith("0x"))
          count.blocksByNumber.push(Number(first));
        if (call.method === "eth_getBlockByHash") count.blocksByHash++;
      }
      res.writeHead(upstream.status, { "content-type": "application/json" }).end(reply);
    })().catch((error) => {
      if (!res.headersSent) res.writeHead(502).end(String(error));
      else res.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => structuredClone(count),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
