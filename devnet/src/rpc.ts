import { DevnetError } from "./errors";

type RpcRequest = { method: string; params?: unknown[] };

/** Sends JSON-RPC requests to a node in batches of `chunk`, returning results in order; any error throws. */
export async function rpcBatch<T = unknown>(rpcUrl: string, requests: RpcRequest[], chunk = 500): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < requests.length; start += chunk) {
    const body = requests.slice(start, start + chunk).map((r, i) => ({ jsonrpc: "2.0", id: i, ...r }));
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new DevnetError(`JSON-RPC batch to ${rpcUrl} failed with HTTP ${response.status}.`);
    const answers = (await response.json()) as { id: number; result?: T; error?: { message: string } }[];
    answers.sort((a, b) => a.id - b.id);
    for (const answer of answers) {
      if (answer.error) {
        const request = body[answer.id];
        throw new DevnetError(`${request?.method} on ${rpcUrl} failed: ${answer.error.message}`);
      }
      results.push(answer.result as T);
    }
  }
  return results;
}

/** One JSON-RPC call. */
export async function rpc<T = unknown>(rpcUrl: string, method: string, params: unknown[] = []): Promise<T> {
  const [result] = await rpcBatch<T>(rpcUrl, [{ method, params }]);
  return result as T;
}
